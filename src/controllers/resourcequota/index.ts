// The ResourceQuota controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { ResourceQuotaController } from './resourcequota-controller.js';

export { ResourceQuotaController, RESOURCEQUOTA_WORKERS, QUOTA_SYNC_PERIOD_MS } from './resourcequota-controller.js';
export { calculateUsage, isBestEffort, podCharges, podMatchesScope, podResource, type NamespaceObjects } from './usage.js';

export const resourceQuotaControllerDescriptor: ControllerDescriptor = {
  name: 'resourcequota',
  enabledByDefault: true,
  create: (ctx) => new ResourceQuotaController(ctx),
};
