// autoscaling/v2 HorizontalPodAutoscaler: defaults (upstream SetDefaults_HorizontalPodAutoscaler)
// and validation (upstream validateMetrics/validateBehavior). Stored in its own v2 shape; no
// conversion to or from autoscaling/v1 yet.
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { compareQuantity } from '../meta/quantity.js';
import { isDNS1123Label, isValidPathSegmentName } from '../meta/names.js';
import { isQuantity, validateLabelSelector } from '../core/field-checks.js';
import { validateCrossVersionObjectReference, validateReplicaBounds } from './hpa-common.js';
import {
  HorizontalPodAutoscalerV2Schema, type HorizontalPodAutoscalerV2, type HPAScalingRules, type MetricSpec, type MetricTarget,
} from './hpa-v2-schema.js';

const SOURCE_TYPES = ['Object', 'Pods', 'Resource', 'External', 'ContainerResource'];
const SOURCE_FIELD: Record<string, keyof MetricSpec> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** Upstream defaultHPAScaleUpRules / defaultHPAScaleDownRules (scale-down window left to the controller flag). */
const scaleUpDefaults = (): HPAScalingRules => ({
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
});
const scaleDownDefaults = (): HPAScalingRules => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

function withDefaults(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  return { ...defaults, ...Object.fromEntries(Object.entries(rules ?? {}).filter(([, v]) => v !== undefined)) };
}

export function defaultHorizontalPodAutoscalerV2(hpa: HorizontalPodAutoscalerV2): void {
  const spec = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, scaleUpDefaults());
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, scaleDownDefaults());
  }
}

function positive(q: string | undefined): boolean {
  return q !== undefined && isQuantity(q) && compareQuantity(q, '0') > 0;
}

function validateTarget(t: MetricTarget | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errs.push(fieldError.required(childPath(path, 'type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') errs.push(fieldError.invalid(childPath(path, 'type'), type, 'must be either Utilization, Value, or AverageValue'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(fieldError.invalid(childPath(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  if (t?.value !== undefined && !positive(t.value)) errs.push(fieldError.invalid(childPath(path, 'value'), t.value, 'must be positive'));
  if (t?.averageValue !== undefined && !positive(t.averageValue)) errs.push(fieldError.invalid(childPath(path, 'averageValue'), t.averageValue, 'must be positive'));
  return errs;
}

function validateMetricIdentifier(id: { name?: string; selector?: object } | undefined, path: string): FieldError[] {
  const name = id?.name ?? '';
  if (!name) return [fieldError.required(childPath(path, 'name'), 'must specify a metric name')];
  return [
    ...isValidPathSegmentName(name).map((m) => fieldError.invalid(childPath(path, 'name'), name, m)),
    ...validateLabelSelector(id?.selector, childPath(path, 'selector')),
  ];
}

function validateSource(m: MetricSpec, field: keyof MetricSpec, path: string): FieldError[] {
  const p = childPath(path, field);
  const target = (m[field] as { target?: MetricTarget }).target;
  const errs = validateTarget(target, childPath(p, 'target'));
  const req = (sub: string, detail: string) => fieldError.required(childPath(childPath(p, 'target'), sub), detail);
  if (field === 'resource' || field === 'containerResource') {
    const src = m[field]!;
    if (!src.name) errs.unshift(fieldError.required(childPath(p, 'name'), 'must specify a resource name'));
    if (field === 'containerResource') {
      const c = m.containerResource!.container ?? '';
      if (!c) errs.push(fieldError.required(childPath(p, 'container'), 'must specify a container'));
      else for (const msg of isDNS1123Label(c)) errs.push(fieldError.invalid(childPath(p, 'container'), c, msg));
    }
    if (target?.averageUtilization === undefined && target?.averageValue === undefined) errs.push(req('averageUtilization', 'must set either a target raw value or a target utilization'));
    if (target?.averageUtilization !== undefined && target.averageValue !== undefined) {
      errs.push(fieldError.forbidden(childPath(childPath(p, 'target'), 'averageValue'), 'may not set both a target raw value and a target utilization'));
    }
  } else if (field === 'object') {
    errs.unshift(...validateCrossVersionObjectReference(m.object!.describedObject, childPath(p, 'describedObject')), ...validateMetricIdentifier(m.object!.metric, childPath(p, 'metric')));
    if (target?.value === undefined && target?.averageValue === undefined) errs.push(req('averageValue', 'must set either a target value or averageValue'));
  } else if (field === 'pods') {
    errs.unshift(...validateMetricIdentifier(m.pods!.metric, childPath(p, 'metric')));
    if (target?.averageValue === undefined) errs.push(req('averageValue', 'must specify a positive target averageValue'));
  } else if (field === 'external') {
    errs.unshift(...validateMetricIdentifier(m.external!.metric, childPath(p, 'metric')));
    if (target?.value === undefined && target?.averageValue === undefined) errs.push(req('averageValue', 'must set either a target value for metric or a per-pod target'));
    if (target?.value !== undefined && target.averageValue !== undefined) {
      errs.push(fieldError.forbidden(childPath(childPath(p, 'target'), 'value'), 'may not set both a target value for metric and a per-pod target'));
    }
  }
  return errs;
}

function validateMetricSpec(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = m.type ?? '';
  if (!type) errs.push(fieldError.required(childPath(path, 'type'), 'must specify a metric source type'));
  const present = Object.values(SOURCE_FIELD).filter((f) => m[f] !== undefined);
  if (present.length === 1) errs.push(...validateSource(m, present[0]!, path));
  const expected = SOURCE_FIELD[type];
  if (!expected) errs.push(fieldError.notSupported(childPath(path, 'type'), type, SOURCE_TYPES));
  else if (m[expected] === undefined) errs.push(fieldError.required(childPath(path, expected), 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const f of present) if (f !== expected) errs.push(fieldError.forbidden(childPath(path, f), 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (w !== undefined && w < 0) errs.push(fieldError.invalid(childPath(path, 'stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
  if (w !== undefined && w > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(fieldError.invalid(childPath(path, 'stabilizationWindowSeconds'), w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  if (rules.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) {
    errs.push(fieldError.notSupported(childPath(path, 'selectPolicy'), rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(fieldError.required(childPath(path, 'policies'), 'must specify at least one Policy'));
  policies.forEach((pol, i) => {
    const p = indexPath(childPath(path, 'policies'), i);
    if (pol.type !== 'Pods' && pol.type !== 'Percent') errs.push(fieldError.notSupported(childPath(p, 'type'), pol.type ?? '', ['Percent', 'Pods']));
    if ((pol.value ?? 0) <= 0) errs.push(fieldError.invalid(childPath(p, 'value'), pol.value ?? 0, 'must be greater than zero'));
    const period = pol.periodSeconds ?? 0;
    if (period <= 0) errs.push(fieldError.invalid(childPath(p, 'periodSeconds'), period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(fieldError.invalid(childPath(p, 'periodSeconds'), period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** Upstream validateHorizontalPodAutoscalerSpec: metrics and behavior only once the target is valid. */
export function validateHorizontalPodAutoscalerV2(hpa: HorizontalPodAutoscalerV2): FieldError[] {
  const spec = hpa.spec ?? {};
  const errs = validateReplicaBounds(spec.minReplicas, spec.maxReplicas);
  const refErrs = validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef');
  if (refErrs.length) return [...errs, ...refErrs];
  const metricErrs = (spec.metrics ?? []).flatMap((m, i) => validateMetricSpec(m, indexPath('spec.metrics', i)));
  if (metricErrs.length) return [...errs, ...metricErrs];
  return [...errs, ...validateScalingRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'), ...validateScalingRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown')];
}

export const horizontalPodAutoscalersV2: ResourceType<HorizontalPodAutoscalerV2> = {
  group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler',
  namespaced: true, shortNames: ['hpa'], categories: ['all'],
  subresources: [{ name: 'status', kind: 'HorizontalPodAutoscaler', verbs: ['get', 'patch', 'update'] }],
  schema: HorizontalPodAutoscalerV2Schema,
  hasStatus: true,
  prepareForCreate(hpa) {
    delete hpa.status;
  },
  defaults: defaultHorizontalPodAutoscalerV2,
  validate: (hpa) => validateHorizontalPodAutoscalerV2(hpa),
};
