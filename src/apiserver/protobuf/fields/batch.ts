// Field numbers of batch/v1: Job, CronJob.
import { always, ptr, type FieldTables } from './spec.js';

export const BATCH_FIELDS: FieldTables = {
  'io.k8s.api.batch.v1.CronJob': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.batch.v1.CronJobSpec': {
    schedule: always(1), startingDeadlineSeconds: ptr(2), concurrencyPolicy: 3, suspend: ptr(4), jobTemplate: 5,
    successfulJobsHistoryLimit: ptr(6), failedJobsHistoryLimit: ptr(7), timeZone: ptr(8),
  },
  'io.k8s.api.batch.v1.CronJobStatus': { active: 1, lastScheduleTime: 4, lastSuccessfulTime: 5 },
  'io.k8s.api.batch.v1.Job': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.batch.v1.JobCondition': {
    type: always(1), status: always(2), lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
  },
  'io.k8s.api.batch.v1.JobSpec': {
    parallelism: ptr(1), completions: ptr(2), activeDeadlineSeconds: ptr(3), selector: 4, manualSelector: ptr(5), template: 6,
    backoffLimit: ptr(7), ttlSecondsAfterFinished: ptr(8), completionMode: ptr(9), suspend: ptr(10), podFailurePolicy: 11,
    backoffLimitPerIndex: ptr(12), maxFailedIndexes: ptr(13), podReplacementPolicy: ptr(14), managedBy: ptr(15),
    successPolicy: 16,
  },
  'io.k8s.api.batch.v1.JobStatus': {
    conditions: 1, startTime: 2, completionTime: 3, active: 4, succeeded: 5, failed: 6, completedIndexes: 7,
    uncountedTerminatedPods: 8, ready: ptr(9), failedIndexes: ptr(10), terminating: ptr(11),
  },
  'io.k8s.api.batch.v1.JobTemplateSpec': { metadata: 1, spec: 2 },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: 1 },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { containerName: ptr(1), operator: always(2), values: 3 },
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern': { type: always(1), status: always(2) },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { action: always(1), onExitCodes: 2, onPodConditions: 3 },
  'io.k8s.api.batch.v1.SuccessPolicy': { rules: 1 },
  'io.k8s.api.batch.v1.SuccessPolicyRule': { succeededIndexes: ptr(1), succeededCount: ptr(2) },
  'io.k8s.api.batch.v1.UncountedTerminatedPods': { succeeded: 1, failed: 2 },
};
