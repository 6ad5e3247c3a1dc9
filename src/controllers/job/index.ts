// The Job controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { JobController } from './job-controller.js';

export { JobController, JOB_WORKERS } from './job-controller.js';
export { backoffDelayMs, remainingBackoffMs, nextBackoffRecord, DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, MAX_JOB_POD_FAILURE_BACKOFF_MS } from './backoff.js';
export { matchPodFailurePolicy } from './failure-policy.js';
export { completionIndexOf, formatIndexes, parseIndexes, firstPendingIndexes, JOB_COMPLETION_INDEX_ANNOTATION } from './indexes.js';
export { podFromJob, JOB_TRACKING_FINALIZER } from './pod-template.js';
export { jobOutcome, wantActive, isJobFinished } from './status.js';

export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job',
  enabledByDefault: true,
  create: (ctx) => new JobController(ctx),
};
