// Pieces shared by the apps/v1 workloads: subresource declarations, rolling-update checks and the
// template rules every apps/v1 controller's pods follow.
import { obj, str, time, type TObject } from '../schema/builder.js';
import type { SubresourceType } from '../resource.js';
import { fieldError, type FieldError, childPath } from '../field-errors.js';
import { isValidPercent } from '../meta/names.js';
import type { LabelSelector } from '../schema/meta.js';
import type { PodTemplateSpec } from '../core/pod-spec.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { validatePodTemplateSpec, validateSelectorMatchesTemplate, validateTemplateRestartPolicy } from '../core/pod-template-validation.js';
import { validateNonnegative, validateImmutable } from '../core/field-checks.js';

export const statusSubresource = (kind: string): SubresourceType => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
export const scaleSubresource: SubresourceType = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };

/** A `<Kind>Condition` definition (type, status, times, reason, message). */
export function workloadCondition(defName: string, description: string, withUpdateTime = false): TObject {
  return obj(defName, description, {
    type: str(`Type of ${description.split(' ')[0]} condition.`),
    status: str('Status of the condition, one of True, False, Unknown.'),
    ...(withUpdateTime ? { lastUpdateTime: time('The last time this condition was updated.') } : {}),
    lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
    reason: str('The reason for the condition\'s last transition.'),
    message: str('A human readable message indicating details about the transition.'),
  }, { required: ['type', 'status'] });
}

/** Pod defaults on the template's spec (upstream SetObjectDefaults_* for every workload). */
export function defaultTemplate(template: PodTemplateSpec | undefined): void {
  if (template) defaultPodSpec(template.spec ??= {});
}

/** Numeric value of an int-or-percent for the both-zero check (percent strings by their number). */
function intOrPercentValue(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number.parseInt(v, 10);
  return -1;
}

/** Upstream ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return validateNonnegative(v, path);
  return isValidPercent(v).map((m) => fieldError.invalid(path, v, m));
}

/** Upstream IsNotMoreThan100Percent. */
export function validateNotMoreThan100Percent(v: number | string | undefined, path: string): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length) return [];
  return Number.parseInt(v, 10) > 100 ? [fieldError.invalid(path, v, 'must not be greater than 100%')] : [];
}

/** Upstream ValidateRollingUpdateDaemonSet: exactly one of maxUnavailable and maxSurge non-zero. */
export function validateRollingUpdateDaemonSet(ru: { maxUnavailable?: number | string; maxSurge?: number | string }, path: string): FieldError[] {
  const up = childPath(path, 'maxUnavailable');
  const sp = childPath(path, 'maxSurge');
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, up), ...validatePositiveIntOrPercent(ru.maxSurge, sp),
    ...validateNotMoreThan100Percent(ru.maxUnavailable, up), ...validateNotMoreThan100Percent(ru.maxSurge, sp),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable ?? 0) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge ?? 0) !== 0;
  if (hasUnavailable && hasSurge) errs.push(fieldError.invalid(sp, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(fieldError.required(up, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** Upstream ValidateRollingUpdateDeployment. */
export function validateRollingUpdate(ru: { maxUnavailable?: number | string; maxSurge?: number | string }, path: string): FieldError[] {
  const up = childPath(path, 'maxUnavailable');
  const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, up), ...validatePositiveIntOrPercent(ru.maxSurge, childPath(path, 'maxSurge'))];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(fieldError.invalid(up, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, up));
  return errs;
}

/** What an apps/v1 spec holds that the template rules look at. */
export interface WorkloadSpec {
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

/**
 * Selector/template rules of an apps/v1 workload: selector required and non-empty, matching the
 * template labels, template pod spec valid, restartPolicy Always, no activeDeadlineSeconds.
 * `kindWord` is upstream's lowercase word in "empty selector is invalid for <kindWord>", `deadlineKind`
 * its kind in "activeDeadlineSeconds in <deadlineKind> is not Supported"; DaemonSets do not
 * require a selector explicitly (a missing one still fails the labels match).
 */
export function validateWorkloadTemplate(spec: WorkloadSpec, kindWord: string, deadlineKind: string, selectorRequired = true): FieldError[] {
  const errs = validateSelectorMatchesTemplate(spec.selector, spec.template, 'spec', { required: selectorRequired, emptyMessage: `empty selector is invalid for ${kindWord}` });
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  errs.push(...validateTemplateRestartPolicy(spec.template, 'spec', ['Always']));
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(fieldError.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${deadlineKind} is not Supported`));
  }
  return errs;
}

/** apps/v1 selectors cannot change after creation. */
export function validateSelectorImmutable(next: LabelSelector | undefined, old: LabelSelector | undefined): FieldError[] {
  return validateImmutable(next, old, 'spec.selector');
}
