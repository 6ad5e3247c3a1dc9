// batch/v1 Jobs and CronJobs.
import { column, nameColumn, ageColumn, CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, type TablePrinter, type TableCell } from './types.js';
import { since, containerCells, formatLabelSelector, humanDuration } from './format.js';

interface PodTemplate { spec?: { containers?: { name?: string; image?: string }[] } }
interface JobSpec { completions?: number; parallelism?: number; selector?: { matchLabels?: Record<string, string> }; template?: PodTemplate }
interface Job {
  metadata?: { name?: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: JobSpec;
  status?: { succeeded?: number; startTime?: string; completionTime?: string; conditions?: { type?: string; status?: string }[] };
}
interface CronJob {
  metadata?: { name?: string; creationTimestamp?: string };
  spec?: { schedule?: string; timeZone?: string; suspend?: boolean; jobTemplate?: { spec?: JobSpec } };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

const SELECTOR_DESCRIPTION = 'A label query over pods that should match the pod count. Normally, the system sets this field for you.';

function hasCondition(job: Job, type: string): boolean {
  const cond = (job.status?.conditions ?? []).find((c) => c.type === type);
  return cond?.status === 'True';
}

/** Complete, Failed, Terminating, Suspended, FailureTarget or Running, in upstream's precedence. */
export function jobStatus(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION, 1),
    column('Images', 'string', IMAGES_DESCRIPTION, 1),
    column('Selector', 'string', SELECTOR_DESCRIPTION, 1),
  ],
  cells(job: Job, now: Date): TableCell[] {
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (job.spec?.completions !== undefined && job.spec.completions !== null) completions = `${succeeded}/${job.spec.completions}`;
    else if ((job.spec?.parallelism ?? 0) > 1) completions = `${succeeded}/1 of ${job.spec!.parallelism}`;
    else completions = `${succeeded}/1`;
    const start = job.status?.startTime;
    const end = job.status?.completionTime;
    const duration = !start ? '' : humanDuration((end ? Date.parse(end) : now.getTime()) - Date.parse(start));
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [job.metadata?.name ?? '', jobStatus(job), completions, duration, since(job.metadata?.creationTimestamp, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION, 1),
    column('Images', 'string', IMAGES_DESCRIPTION, 1),
    column('Selector', 'string', SELECTOR_DESCRIPTION, 1),
  ],
  cells(cj: CronJob, now: Date): TableCell[] {
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>';
    const suspend = cj.spec?.suspend === undefined || cj.spec.suspend === null ? '<unset>' : cj.spec.suspend ? 'True' : 'False';
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    return [cj.metadata?.name ?? '', cj.spec?.schedule ?? '', cj.spec?.timeZone ?? '<none>', suspend, (cj.status?.active ?? []).length, last,
      since(cj.metadata?.creationTimestamp, now), names, images, formatLabelSelector(jobSpec?.selector)];
  },
};
