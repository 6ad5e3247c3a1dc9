import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitRanges, type LimitRange } from './limit-range.js';
import { resourceQuotas, type ResourceQuota } from './resource-quota.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('limitrange container defaults: default ← max, defaultRequest ← default, then min', () => {
  const lr: LimitRange = { spec: { limits: [{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, default: { cpu: '1' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' } }] } };
  limitRanges.defaults!(lr);
  assert.deepEqual(lr.spec?.limits?.[0], {
    type: 'Container',
    max: { cpu: '2', memory: '1Gi' },
    min: { cpu: '100m', 'ephemeral-storage': '1Gi' },
    default: { cpu: '1', memory: '1Gi' },
    defaultRequest: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' },
  });
  assert.deepEqual(limitRanges.validate!(lr, ctx), []);
  const pod: LimitRange = { spec: { limits: [{ type: 'Pod', max: { cpu: '1' } }] } };
  limitRanges.defaults!(pod);
  assert.equal(pod.spec?.limits?.[0]?.default, undefined);
});

test('limitrange validation', () => {
  const cases: [LimitRange, string[]][] = [
    [{ spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } }, ['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1']],
    [{ spec: { limits: [{ type: 'Pod', default: { cpu: '1' } }] } }, ['spec.limits[0].default: Forbidden: may not be specified when `type` is \'Pod\'']],
    [{ spec: { limits: [{ type: 'Container', max: { cpu: '-1' } }] } }, ['spec.limits[0].max[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    [{ spec: { limits: [{ type: 'Pod' }, { type: 'Pod' }] } }, ['spec.limits[1].type: Duplicate value: "Pod"']],
    [{ spec: { limits: [{ type: 'PersistentVolumeClaim' }] } }, ['spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided']],
  ];
  for (const [lr, want] of cases) assert.deepEqual(show(limitRanges.validate!(lr, ctx)), want);
});

test('resourcequota: status reset on create; hard and scopes validated', () => {
  const rq: ResourceQuota = { spec: { hard: { pods: '10', 'requests.cpu': '4' } }, status: { used: { pods: '3' } } };
  resourceQuotas.prepareForCreate!(rq);
  assert.equal(rq.status, undefined);
  assert.deepEqual(resourceQuotas.validate!(rq, ctx), []);
  const bad: ResourceQuota = { spec: { hard: { pods: '-1' }, scopes: ['Terminating', 'NotTerminating'] } };
  assert.deepEqual(show(resourceQuotas.validate!(bad, ctx)), [
    'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
    'spec.scopes: Invalid value: ["Terminating","NotTerminating"]: conflicting scopes',
  ]);
});

test('limitrange maxLimitRequestRatio bounds', () => {
  const lr: LimitRange = { spec: { limits: [{ type: 'Pod', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }] } };
  assert.deepEqual(show(limitRanges.validate!(lr, ctx)), ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "3": ratio 3 is greater than max/min = 2.000000']);
  const low: LimitRange = { spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { memory: '500m' } }] } };
  assert.deepEqual(show(limitRanges.validate!(low, ctx)), ['spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "500m": ratio 500m is less than 1']);
});
