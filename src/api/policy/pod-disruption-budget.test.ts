import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podDisruptionBudgets, type PodDisruptionBudget } from './pod-disruption-budget.js';
import { EvictionSchema } from './eviction.js';

const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('poddisruptionbudget validation as upstream', () => {
  const ok: PodDisruptionBudget = { spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1 } };
  podDisruptionBudgets.prepareForCreate!(ok);
  assert.equal(ok.status, undefined);
  assert.deepEqual(podDisruptionBudgets.validate!(ok, { namespace: 'default' }), []);
  const cases: [PodDisruptionBudget, string[]][] = [
    [{ spec: { minAvailable: 1, maxUnavailable: 1 } }, ['spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set']],
    [{ spec: { maxUnavailable: -1 } }, ['spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0']],
    [{ spec: { minAvailable: '150%' } }, ['spec.minAvailable: Invalid value: "150%": must not be greater than 100%']],
    [{ spec: { minAvailable: 'half' } }, ['spec.minAvailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')']],
    [{ spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } } }, ['spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\'']],
  ];
  for (const [pdb, want] of cases) assert.deepEqual(show(podDisruptionBudgets.validate!(pdb, { namespace: 'default' })), want);
  assert.equal(podDisruptionBudgets.tracksGeneration, true);
});

test('Eviction schema carries deleteOptions', () => {
  const props = (EvictionSchema as unknown as { properties: Record<string, unknown> }).properties;
  assert.ok(props.deleteOptions);
  assert.deepEqual((EvictionSchema as unknown as Record<string, unknown>)['x-kubernetes-group-version-kind'], [{ group: 'policy', version: 'v1', kind: 'Eviction' }]);
});
