// The TTL-after-finished controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished-controller.js';

export { TTLAfterFinishedController } from './ttl-after-finished-controller.js';
export { ttlTimeLeftMs, jobFinishTime } from './ttl.js';

export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished',
  enabledByDefault: true,
  create: (ctx) => new TTLAfterFinishedController(ctx),
};
