// batch/v1: Jobs and CronJobs, in discovery order, with their schemas and types.
import type { ResourceType } from '../resource.js';
import { jobs } from './job.js';
import { cronJobs } from './cronjob.js';

export const BATCH_RESOURCES: readonly ResourceType<any>[] = [jobs, cronJobs];

export * from './job.js';
export * from './cronjob.js';
export { cronScheduleErrors } from './cron.js';
