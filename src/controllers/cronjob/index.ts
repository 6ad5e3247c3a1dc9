// The CronJob controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { CronJobController } from './cronjob-controller.js';

export { CronJobController, CRONJOB_WORKERS } from './cronjob-controller.js';
export { parseSchedule, nextScheduleTime, formatInZone, type CronSchedule } from './schedule.js';
export { mostRecentScheduleTime, jobNameFor, jobFromTemplate, jobsBeyondHistory, CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from './plan.js';

export const cronJobControllerDescriptor: ControllerDescriptor = {
  name: 'cronjob',
  enabledByDefault: true,
  create: (ctx) => new CronJobController(ctx),
};
