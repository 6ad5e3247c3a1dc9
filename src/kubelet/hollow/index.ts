// Hollow kubelets for `capstan sim`: real API clients with a fake runtime.
export { HollowNodes, type HollowNodesOptions, type HollowNodesStats } from './hollow-nodes.js';
export { parseLabelsFlag, parseTaintsFlag, parseDurationMs } from './flags.js';
export { buildNode, checkQuantity, type HollowNodeTemplate } from './node-object.js';
export { runningPodStatus } from './pod-status.js';
export { handleControlCommand, serveControlSocket } from './control.js';
