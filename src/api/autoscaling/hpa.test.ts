import { test } from 'node:test';
import assert from 'node:assert/strict';
import { horizontalPodAutoscalersV1, type HorizontalPodAutoscalerV1 } from './hpa-v1.js';
import { horizontalPodAutoscalersV2 } from './hpa-v2.js';
import type { HorizontalPodAutoscalerV2 } from './hpa-v2-schema.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);
const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

test('hpa v1: minReplicas defaults to 1; replica bounds and target validated', () => {
  const hpa: HorizontalPodAutoscalerV1 = { spec: { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } };
  horizontalPodAutoscalersV1.defaults!(hpa);
  assert.equal(hpa.spec?.minReplicas, 1);
  assert.deepEqual(horizontalPodAutoscalersV1.validate!(hpa, ctx), []);
  assert.deepEqual(show(horizontalPodAutoscalersV1.validate!({ spec: { scaleTargetRef: { kind: 'Deployment' }, minReplicas: 3, maxReplicas: 2 } }, ctx)), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.name: Required value',
  ]);
});

test('hpa v2 defaults: 80% CPU metric; behavior filled only when present', () => {
  const hpa: HorizontalPodAutoscalerV2 = { spec: { scaleTargetRef: target, maxReplicas: 5 } };
  horizontalPodAutoscalersV2.defaults!(hpa);
  assert.deepEqual(hpa.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.equal(hpa.spec?.behavior, undefined);
  assert.deepEqual(horizontalPodAutoscalersV2.validate!(hpa, ctx), []);

  const withBehavior: HorizontalPodAutoscalerV2 = { spec: { scaleTargetRef: target, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } };
  horizontalPodAutoscalersV2.defaults!(withBehavior);
  assert.deepEqual(withBehavior.spec?.behavior, {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
  assert.deepEqual(horizontalPodAutoscalersV2.validate!(withBehavior, ctx), []);
});

test('hpa v2 metric and behavior validation', () => {
  const base = (spec: NonNullable<HorizontalPodAutoscalerV2['spec']>): HorizontalPodAutoscalerV2 => ({ spec: { scaleTargetRef: target, maxReplicas: 5, minReplicas: 1, ...spec } });
  const cases: [HorizontalPodAutoscalerV2, string[]][] = [
    [base({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }),
      ['spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0']],
    [base({ metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }),
      ['spec.metrics[0].pods: Required value: must populate information for the given metric source']],
    [base({ metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue' } } }] }),
      ['spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue']],
    [base({ metrics: [{ type: 'Magic' }] }), ['spec.metrics[0].type: Unsupported value: "Magic": supported values: "Object", "Pods", "Resource", "External", "ContainerResource"']],
    [base({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } } }), [
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
    ]],
  ];
  for (const [hpa, want] of cases) assert.deepEqual(show(horizontalPodAutoscalersV2.validate!(hpa, ctx)), want);
});
