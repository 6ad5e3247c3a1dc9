// batch/v1 CronJob: creates Jobs on a cron schedule.
import { obj, int32, int64, str, bool, list, time, enumStr, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { ObjectReferenceSchema } from '../core/object-reference.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { validateNonnegative } from '../core/field-checks.js';
import { JobTemplateSpecSchema, validateJobSpecCommon, type JobTemplateSpec } from './job.js';
import { cronScheduleErrors, isKnownTimeZone } from './cron.js';

export const CronJobSpecSchema = obj('io.k8s.api.batch.v1.CronJobSpec', 'CronJobSpec describes how the job execution will look like and when it will actually run.', {
  schedule: str('The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
  timeZone: str('The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.'),
  startingDeadlineSeconds: int64('Optional deadline in seconds for starting the job if it misses scheduled time for any reason.'),
  concurrencyPolicy: enumStr('Specifies how to treat concurrent executions of a Job. Valid values are "Allow" (default), "Forbid" and "Replace".', ['Allow', 'Forbid', 'Replace']),
  suspend: bool('This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.'),
  jobTemplate: withMeta(JobTemplateSpecSchema, { description: 'Specifies the job that will be created when executing a CronJob.' }),
  successfulJobsHistoryLimit: int32('The number of successful finished jobs to retain. Value must be non-negative integer. Defaults to 3.'),
  failedJobsHistoryLimit: int32('The number of failed finished jobs to retain. Value must be non-negative integer. Defaults to 1.'),
}, { required: ['schedule', 'jobTemplate'] });

export const CronJobStatusSchema = obj('io.k8s.api.batch.v1.CronJobStatus', 'CronJobStatus represents the current state of a cron job.', {
  active: list(ObjectReferenceSchema, 'A list of pointers to currently running jobs.', { listType: 'atomic' }),
  lastScheduleTime: time('Information when was the last time the job was successfully scheduled.'),
  lastSuccessfulTime: time('Information when was the last time the job successfully completed.'),
});

export const CronJobSchema = resourceSchema('io.k8s.api.batch.v1.CronJob', { group: 'batch', version: 'v1', kind: 'CronJob' },
  'CronJob represents the configuration of a single cron job.', {
    spec: withMeta(CronJobSpecSchema, { description: 'Specification of the desired behavior of a cron job, including the schedule. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
    status: withMeta(CronJobStatusSchema, { description: 'Current status of a cron job. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
  });
export type CronJob = Static<typeof CronJobSchema>;

/** Upstream batch/v1 SetDefaults_CronJob plus the job template's pod defaults. */
export function defaultCronJob(cj: CronJob): void {
  const spec = (cj.spec ??= {});
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const template = spec.jobTemplate?.spec?.template;
  if (template) defaultPodSpec(template.spec ??= {});
}

/** Upstream validateScheduleFormat. */
function validateSchedule(schedule: string, timeZone: string | undefined, allowTZ: boolean): FieldError[] {
  const errs = cronScheduleErrors(schedule).map((m) => fieldError.invalid('spec.schedule', schedule, m));
  if (timeZone !== undefined && schedule.includes('TZ')) errs.push(fieldError.invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  else if (!allowTZ && schedule.includes('TZ')) errs.push(fieldError.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

/** Upstream validateTimeZone. */
function validateTimeZone(tz: string | undefined): FieldError[] {
  if (tz === undefined) return [];
  const path = 'spec.timeZone';
  if (tz === '') return [fieldError.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  if (tz.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !/^[A-Za-z._+\-0-9]+$/.test(p))) {
    return [fieldError.invalid(path, tz, `unknown time zone ${tz}`)];
  }
  if (tz.toLowerCase() === 'local') return [fieldError.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(tz) ? [] : [fieldError.invalid(path, tz, `unknown time zone ${tz}`)];
}

/** Upstream ValidateJobTemplateSpec: job rules, but the selector is always generated later. */
function validateJobTemplate(t: JobTemplateSpec | undefined): FieldError[] {
  const spec = t?.spec ?? {};
  const errs = validateJobSpecCommon(spec, 'spec.jobTemplate.spec');
  if (spec.selector) errs.push(fieldError.invalid('spec.jobTemplate.spec.selector', spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(fieldError.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  return errs;
}

/** Upstream ValidateCronJobSpec; `old` is set on update (TZ in an existing schedule stays allowed). */
function validateCronJobSpec(cj: CronJob, old?: CronJob): FieldError[] {
  const spec = cj.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(fieldError.required('spec.schedule'));
  else errs.push(...validateSchedule(spec.schedule, spec.timeZone, (old?.spec?.schedule ?? '').includes('TZ')));
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!old || old.spec?.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone));
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') errs.push(fieldError.required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(fieldError.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...validateJobTemplate(spec.jobTemplate));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

/** Job names are `<cronjob>-<11 chars>` and must stay DNS-1035 labels (63), so at most 52. */
const MAX_CRONJOB_NAME_LENGTH = 52;

export const cronJobs: ResourceType<CronJob> = {
  group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob',
  namespaced: true, shortNames: ['cj'], categories: ['all'],
  subresources: [{ name: 'status', kind: 'CronJob', verbs: ['get', 'patch', 'update'] }],
  schema: CronJobSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(cj) { cj.status = {}; },
  defaults: defaultCronJob,
  validate(cj) {
    const errs = validateCronJobSpec(cj);
    const name = cj.metadata?.name ?? '';
    if (name.length > MAX_CRONJOB_NAME_LENGTH) errs.unshift(fieldError.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
    return errs;
  },
  validateUpdate: (cj, old) => validateCronJobSpec(cj, old),
};
