// The Deployment controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { DeploymentController } from './deployment-controller.js';

export { DeploymentController } from './deployment-controller.js';
export { computeHash, POD_TEMPLATE_HASH_LABEL } from './hash.js';
export { resolveFenceposts, newRSNewReplicas, planOldScaleDown, proportionalSizes, maxSurge, maxUnavailable } from './rolling.js';
export { REVISION_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './util.js';

export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment',
  enabledByDefault: true,
  create: (ctx) => new DeploymentController(ctx),
};
