// Upstream ValidateJobSpecUpdate: what may change in a Job's spec after creation. Called by the
// jobs ResourceType's validateUpdate.
import { fieldError, type FieldError } from '../field-errors.js';
import { validateImmutable, jsonEqual } from '../core/field-checks.js';
import type { Job } from './job.js';

/**
 * A suspended job that never started may change its template's scheduling directives
 * (node selector, affinity, tolerations, scheduling gates) and labels/annotations.
 */
function templateChangeAllowed(job: Job, old: Job): boolean {
  if (old.spec?.suspend !== true || old.status?.startTime) return false;
  const strip = (j: Job) => {
    const t = structuredClone(j.spec?.template ?? {});
    if (t.spec) { delete t.spec.nodeSelector; delete t.spec.affinity; delete t.spec.tolerations; delete t.spec.schedulingGates; }
    if (t.metadata) { delete t.metadata.labels; delete t.metadata.annotations; }
    return t;
  };
  return jsonEqual(strip(job), strip(old));
}

export function validateJobSpecUpdate(job: Job, old: Job): FieldError[] {
  const spec = job.spec ?? {};
  const prev = old.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.completions !== prev.completions) {
    const elastic = spec.completionMode === 'Indexed' && prev.completionMode === 'Indexed' && spec.completions !== undefined && prev.completions !== undefined;
    if (!elastic) errs.push(...validateImmutable(spec.completions, prev.completions, 'spec.completions'));
    else if (spec.completions !== spec.parallelism) errs.push(fieldError.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  errs.push(...validateImmutable(spec.selector, prev.selector, 'spec.selector'));
  if (!jsonEqual(spec.template, prev.template) && !templateChangeAllowed(job, old)) {
    errs.push(fieldError.invalid('spec.template', spec.template, 'field is immutable'));
  }
  errs.push(...validateImmutable(spec.completionMode, prev.completionMode, 'spec.completionMode'));
  errs.push(...validateImmutable(spec.podFailurePolicy, prev.podFailurePolicy, 'spec.podFailurePolicy'));
  errs.push(...validateImmutable(spec.backoffLimitPerIndex, prev.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  errs.push(...validateImmutable(spec.successPolicy, prev.successPolicy, 'spec.successPolicy'));
  errs.push(...validateImmutable(spec.managedBy, prev.managedBy, 'spec.managedBy'));
  return errs;
}
