// Validation of a workload's pod template and its selector, shared by apps (Deployment,
// ReplicaSet, DaemonSet, StatefulSet) and batch (Job, CronJob). Upstream ValidatePodTemplateSpec
// plus the selector/labels rules of ValidateDeploymentSpec and friends.
import { fieldError, type FieldError, childPath } from '../field-errors.js';
import { labelSelectorFromObject, matchesLabels, isEverything, type LabelSelectorObject } from '../meta/labels.js';
import type { LabelSelector } from '../schema/meta.js';
import { validateLabelMap, validateLabelSelector } from './field-checks.js';
import type { PodTemplateSpec } from './pod-spec.js';
import { validatePodSpec } from './pod-validation.js';

/** Upstream ValidatePodTemplateSpec: template labels and the pod spec (`<path>.spec`). */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const t = template ?? {};
  return [
    ...validateLabelMap(t.metadata?.labels, childPath(path, 'metadata.labels')),
    ...validatePodSpec(t.spec ?? {}, childPath(path, 'spec')),
  ];
}

export interface SelectorRules {
  /** Whether a missing selector is `Required value` (true for every apps/v1 workload and Job). */
  required: boolean;
  /** Detail of the empty-selector error, e.g. `empty selector is invalid for deployment`; none if allowed. */
  emptyMessage?: string;
}

/**
 * `<specPath>.selector` is a valid selector matching `<specPath>.template.metadata.labels`.
 * A missing selector matches nothing (upstream LabelSelectorAsSelector(nil)), so it also reports
 * the labels mismatch, as upstream does; an empty selector matches everything.
 */
export function validateSelectorMatchesTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, specPath: string, rules: SelectorRules): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = childPath(specPath, 'selector');
  if (!selector) {
    if (rules.required) errs.push(fieldError.required(selPath));
  } else {
    errs.push(...validateLabelSelector(selector, selPath));
    const empty = Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
    if (empty && rules.emptyMessage) errs.push(fieldError.invalid(selPath, selector, rules.emptyMessage));
  }
  let parsed;
  try {
    parsed = labelSelectorFromObject(selector as LabelSelectorObject | undefined);
  } catch {
    errs.push(fieldError.invalid(selPath, selector, 'invalid label selector'));
    return errs;
  }
  const labels = template?.metadata?.labels ?? {};
  if (!isEverything(parsed) && !matchesLabels(parsed, labels)) {
    errs.push(fieldError.invalid(childPath(specPath, 'template.metadata.labels'), labels, '`selector` does not match template `labels`'));
  }
  return errs;
}

/** The template's restartPolicy must be one of `allowed` (Always for apps, OnFailure/Never for jobs). */
export function validateTemplateRestartPolicy(template: PodTemplateSpec | undefined, specPath: string, allowed: string[]): FieldError[] {
  const policy = template?.spec?.restartPolicy ?? '';
  if (allowed.includes(policy)) return [];
  return [fieldError.notSupported(childPath(specPath, 'template.spec.restartPolicy'), policy, allowed)];
}
