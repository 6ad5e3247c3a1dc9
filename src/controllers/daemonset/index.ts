// The DaemonSet controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { DaemonSetController } from './daemonset-controller.js';

export { DaemonSetController, daemonPodFor, DAEMONSET_WORKERS } from './daemonset-controller.js';
export { nodeShouldRunDaemonPod, defaultDaemonTolerations, withDaemonTolerations, pinToNode, targetNodeName, matchesRequiredNodeAffinity } from './eligibility.js';
export { planManage, planRollingUpdate, daemonSetCounts, isPodUpdated } from './plan.js';

export const daemonSetControllerDescriptor: ControllerDescriptor = {
  name: 'daemonset',
  enabledByDefault: true,
  create: (ctx) => new DaemonSetController(ctx),
};
