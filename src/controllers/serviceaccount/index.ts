// The ServiceAccount controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { ServiceAccountsController } from './serviceaccount-controller.js';

export { ServiceAccountsController, SERVICE_ACCOUNTS_TO_ENSURE } from './serviceaccount-controller.js';

export const serviceAccountControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  enabledByDefault: true,
  create: (ctx) => new ServiceAccountsController(ctx),
};
