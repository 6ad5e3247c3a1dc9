// batch/v1 Job: runs pods to completion. The strategy generates the selector and template labels
// from the job's uid unless spec.manualSelector is true.
import { obj, int32, int64, str, bool, list, time, enumStr, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector, ObjectMeta } from '../schema/meta.js';
import type { ResourceType, SubresourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { PodTemplateSpecSchema } from '../core/pod-spec.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { validateNonnegative } from '../core/field-checks.js';
import { validatePodTemplateSpec, validateSelectorMatchesTemplate } from '../core/pod-template-validation.js';
import { labelSelectorFromObject, matchesLabels, type LabelSelectorObject } from '../meta/labels.js';
import { validateJobSpecUpdate } from './job-update.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

export const PodFailurePolicyOnExitCodesRequirementSchema = obj('io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement', 'PodFailurePolicyOnExitCodesRequirement describes the requirement for handling a failed pod based on its container exit codes.', {
  containerName: str('Restricts the check for exit codes to the container with the specified name.'),
  operator: enumStr('Represents the relationship between the container exit code(s) and the specified values.', ['In', 'NotIn']),
  values: list(int32(), 'Specifies the set of values. Each returned container exit code (might be multiple in case of multiple containers) is checked against this set of values with respect to the operator.', { listType: 'set' }),
}, { required: ['operator', 'values'] });

export const PodFailurePolicyOnPodConditionsPatternSchema = obj('io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern', 'PodFailurePolicyOnPodConditionsPattern describes a pattern for matching an actual pod condition type.', {
  type: str('Specifies the required Pod condition type.'),
  status: str('Specifies the required Pod condition status. Defaults to True.'),
}, { required: ['type'] });

export const PodFailurePolicyRuleSchema = obj('io.k8s.api.batch.v1.PodFailurePolicyRule', 'PodFailurePolicyRule describes how a pod failure is handled when the requirements are met.', {
  action: enumStr('Specifies the action taken on a pod failure when the requirements are satisfied.', ['Count', 'FailIndex', 'FailJob', 'Ignore']),
  onExitCodes: PodFailurePolicyOnExitCodesRequirementSchema,
  onPodConditions: list(PodFailurePolicyOnPodConditionsPatternSchema, 'Represents the requirement on the pod conditions.', { listType: 'atomic' }),
}, { required: ['action'] });

export const PodFailurePolicySchema = obj('io.k8s.api.batch.v1.PodFailurePolicy', 'PodFailurePolicy describes how failed pods influence the backoffLimit.', {
  rules: list(PodFailurePolicyRuleSchema, 'A list of pod failure policy rules. The rules are evaluated in order.', { listType: 'atomic' }),
}, { required: ['rules'] });

export const SuccessPolicyRuleSchema = obj('io.k8s.api.batch.v1.SuccessPolicyRule', 'SuccessPolicyRule describes rule for declaring a Job as succeeded.', {
  succeededIndexes: str('succeededIndexes specifies the set of indexes which need to be contained in the actual set of the succeeded indexes for the Job.'),
  succeededCount: int32('succeededCount specifies the minimal required size of the actual set of the succeeded indexes for the Job.'),
});

export const SuccessPolicySchema = obj('io.k8s.api.batch.v1.SuccessPolicy', 'SuccessPolicy describes when a Job can be declared as succeeded based on the success of some indexes.', {
  rules: list(SuccessPolicyRuleSchema, 'rules represents the list of alternative rules for the declaring the Jobs as successful before `.status.succeeded >= .spec.completions`.', { listType: 'atomic' }),
}, { required: ['rules'] });

export const JobSpecSchema = obj('io.k8s.api.batch.v1.JobSpec', 'JobSpec describes how the job execution will look like.', {
  parallelism: int32('Specifies the maximum desired number of pods the job should run at any given time.'),
  completions: int32('Specifies the desired number of successfully finished pods the job should be run with.'),
  activeDeadlineSeconds: int64('Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it; value must be positive integer.'),
  podFailurePolicy: PodFailurePolicySchema,
  successPolicy: SuccessPolicySchema,
  backoffLimit: int32('Specifies the number of retries before marking this job failed. Defaults to 6'),
  backoffLimitPerIndex: int32('Specifies the limit for the number of retries within an index before marking this index as failed.'),
  maxFailedIndexes: int32('Specifies the maximal number of failed indexes before marking the Job as failed, when backoffLimitPerIndex is set.'),
  selector: withMeta(LabelSelector, { description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you.' }),
  manualSelector: bool('manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing.'),
  template: withMeta(PodTemplateSpecSchema, { description: 'Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure".' }),
  ttlSecondsAfterFinished: int32('ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed).'),
  completionMode: enumStr('completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.', ['Indexed', 'NonIndexed']),
  suspend: bool('suspend specifies whether the Job controller should create Pods or not. Defaults to false.'),
  podReplacementPolicy: enumStr('podReplacementPolicy specifies when to create replacement Pods.', ['Failed', 'TerminatingOrFailed']),
  managedBy: str('ManagedBy field indicates the controller that manages a Job.'),
}, { required: ['template'] });
export type JobSpec = Static<typeof JobSpecSchema>;

export const JobConditionSchema = obj('io.k8s.api.batch.v1.JobCondition', 'JobCondition describes current state of a job.', {
  type: str('Type of job condition, Complete or Failed.'),
  status: str('Status of the condition, one of True, False, Unknown.'),
  lastProbeTime: time('Last time the condition was checked.'),
  lastTransitionTime: time('Last time the condition transit from one status to another.'),
  reason: str('(brief) reason for the condition\'s last transition.'),
  message: str('Human readable message indicating details about last transition.'),
}, { required: ['type', 'status'] });

export const UncountedTerminatedPodsSchema = obj('io.k8s.api.batch.v1.UncountedTerminatedPods', 'UncountedTerminatedPods holds UIDs of Pods that have terminated but haven\'t been accounted in Job status counters.', {
  succeeded: list(str(), 'succeeded holds UIDs of succeeded Pods.', { listType: 'set' }),
  failed: list(str(), 'failed holds UIDs of failed Pods.', { listType: 'set' }),
});

export const JobStatusSchema = obj('io.k8s.api.batch.v1.JobStatus', 'JobStatus represents the current state of a Job.', {
  conditions: list(JobConditionSchema, 'The latest available observations of an object\'s current state.', { mergeKey: 'type', strategy: 'merge', listType: 'atomic' }),
  startTime: time('Represents time when the job controller started processing a job.'),
  completionTime: time('Represents time when the job was completed.'),
  active: int32('The number of pending and running pods which are not terminating (without a deletionTimestamp).'),
  succeeded: int32('The number of pods which reached phase Succeeded.'),
  failed: int32('The number of pods which reached phase Failed.'),
  terminating: int32('The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp).'),
  completedIndexes: str('completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format.'),
  failedIndexes: str('FailedIndexes holds the failed indexes when spec.backoffLimitPerIndex is set.'),
  uncountedTerminatedPods: UncountedTerminatedPodsSchema,
  ready: int32('The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp).'),
});

export const JobSchema = resourceSchema('io.k8s.api.batch.v1.Job', { group: 'batch', version: 'v1', kind: 'Job' },
  'Job represents the configuration of a single job.', {
    spec: withMeta(JobSpecSchema, { description: 'Specification of the desired behavior of a job. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
    status: withMeta(JobStatusSchema, { description: 'Current status of a job. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
  });
export type Job = Static<typeof JobSchema>;

export const JobTemplateSpecSchema = obj('io.k8s.api.batch.v1.JobTemplateSpec', 'JobTemplateSpec describes the data a Job should have when created from a template', {
  metadata: ObjectMeta,
  spec: JobSpecSchema,
});
export type JobTemplateSpec = Static<typeof JobTemplateSpecSchema>;

/** Upstream batch/v1 SetDefaults_Job plus the template's pod defaults. */
export function defaultJob(job: Job): void {
  const spec = (job.spec ??= {});
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    job.metadata ??= {};
    job.metadata.labels = { ...templateLabels };
  }
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const p of rule.onPodConditions ?? []) p.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  if (spec.template) defaultPodSpec(spec.template.spec ??= {});
}

/**
 * Upstream generateSelector: template labels job-name/controller-uid (both spellings) and a
 * selector on batch.kubernetes.io/controller-uid. Labels the user already set are kept, so a
 * conflicting value fails validation.
 */
function generateSelector(job: Job): void {
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  const spec = (job.spec ??= {});
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  const matchLabels = ((spec.selector ??= {}).matchLabels ??= {});
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
}

/** Upstream validateJobSpec: the rules shared by Jobs and CronJob job templates. */
export function validateJobSpecCommon(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    errs.push(...validateNonnegative(spec[f], `${path}.${f}`));
  }
  if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== 'Indexed') {
    errs.push(fieldError.forbidden(`${path}.backoffLimitPerIndex`, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) {
    errs.push(fieldError.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (spec.completionMode !== undefined) {
    if (!['NonIndexed', 'Indexed'].includes(spec.completionMode)) errs.push(fieldError.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    if (spec.completionMode === 'Indexed' && spec.completions === undefined) errs.push(fieldError.required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (spec.podReplacementPolicy !== undefined) {
    if (spec.podFailurePolicy && spec.podReplacementPolicy !== 'Failed') errs.push(fieldError.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    else if (!['Failed', 'TerminatingOrFailed'].includes(spec.podReplacementPolicy)) errs.push(fieldError.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const policy = spec.template?.spec?.restartPolicy ?? '';
  if (policy !== 'OnFailure' && policy !== 'Never') {
    errs.push(fieldError.notSupported(`${path}.template.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  } else if (policy === 'OnFailure' && spec.podFailurePolicy) {
    errs.push(fieldError.invalid(`${path}.template.spec.restartPolicy`, policy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** Upstream ValidateJobSpec: the common rules plus a selector matching the template. */
function validateJob(job: Job): FieldError[] {
  const spec = job.spec ?? {};
  return [
    ...validateJobSpecCommon(spec, 'spec'),
    ...validateSelectorMatchesTemplate(spec.selector, spec.template, 'spec', { required: true }),
  ];
}

/** Upstream validateGeneratedSelector: on create, generated labels must carry this job's uid and name. */
function validateGeneratedSelector(job: Job): FieldError[] {
  const spec = job.spec ?? {};
  if (spec.manualSelector === true || !spec.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(fieldError.required('metadata.uid'));
  const labels = spec.template?.metadata?.labels ?? {};
  const expected: Record<string, string> = {
    [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name, [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name,
  };
  for (const [key, value] of Object.entries(expected)) {
    const path = `spec.template.metadata.labels[${key}]`;
    if (!(key in labels)) errs.push(fieldError.required(path, `must be '${value}'`));
    else if (labels[key] !== value) errs.push(fieldError.invalid(path, labels, `must be '${value}'`));
  }
  try {
    if (!matchesLabels(labelSelectorFromObject(spec.selector as LabelSelectorObject), expected)) {
      errs.push(fieldError.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
    }
  } catch {
    // An unparsable selector is reported by the selector validation.
  }
  return errs;
}

const JOB_SUBRESOURCES: SubresourceType[] = [{ name: 'status', kind: 'Job', verbs: ['get', 'patch', 'update'] }];

export const jobs: ResourceType<Job> = {
  group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', singular: 'job',
  namespaced: true, categories: ['all'],
  subresources: JOB_SUBRESOURCES,
  schema: JobSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(job) {
    // Upstream defaults (job labels from the template) run before the strategy adds its labels.
    const templateLabels = job.spec?.template?.metadata?.labels;
    if (templateLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
      job.metadata ??= {};
      job.metadata.labels = { ...templateLabels };
    }
    if (job.spec?.manualSelector !== true) generateSelector(job);
    job.status = {};
  },
  defaults: defaultJob,
  validate(job) {
    return [...validateJob(job), ...validateGeneratedSelector(job)];
  },
  validateUpdate(job, old) {
    return [...validateJob(job), ...validateJobSpecUpdate(job, old)];
  },
  selectableFields: {
    'status.successful': (job) => String(job.status?.succeeded ?? 0),
  },
};
