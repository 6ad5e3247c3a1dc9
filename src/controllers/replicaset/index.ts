// The ReplicaSet controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { ReplicaSetController } from './replicaset-controller.js';

export { ReplicaSetController, podFromTemplate, BURST_REPLICAS } from './replicaset-controller.js';
export { podsToDelete, compareForDeletion } from './pod-ranking.js';
export { slowStartBatch, slowStartBatchSizes } from './slow-start.js';
export { calculateReplicaSetStatus } from './status.js';

export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  enabledByDefault: true,
  create: (ctx) => new ReplicaSetController(ctx),
};
