// Rules shared by the autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscaler (upstream
// validateHorizontalPodAutoscalerSpec's replica bounds and ValidateCrossVersionObjectReference).
import { fieldError, childPath, type FieldError } from '../field-errors.js';
import { isValidPathSegmentName } from '../meta/names.js';

export interface CrossVersionObjectReference { kind?: string; name?: string; apiVersion?: string }

/** Upstream's lower bound for minReplicas (scale-to-zero is an alpha feature, off). */
export const MIN_REPLICAS_LOWER_BOUND = 1;

export function validateCrossVersionObjectReference(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name'] as const) {
    const value = ref?.[key] ?? '';
    if (!value) errs.push(fieldError.required(childPath(path, key), ''));
    else for (const m of isValidPathSegmentName(value)) errs.push(fieldError.invalid(childPath(path, key), value, m));
  }
  return errs;
}

export function validateReplicaBounds(minReplicas: number | undefined, maxReplicas: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const max = maxReplicas ?? 0;
  if (minReplicas !== undefined && minReplicas < MIN_REPLICAS_LOWER_BOUND) {
    errs.push(fieldError.invalid('spec.minReplicas', minReplicas, `must be greater than or equal to ${MIN_REPLICAS_LOWER_BOUND}`));
  }
  if (max < 1) errs.push(fieldError.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (minReplicas !== undefined && max < minReplicas) errs.push(fieldError.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  return errs;
}
