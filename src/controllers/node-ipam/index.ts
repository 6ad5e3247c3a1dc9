// The node IPAM controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { NodeIpamController } from './node-ipam-controller.js';

export { NodeIpamController, nodeCIDRs, EXHAUSTED_RETRY_MS, NODE_IPAM_WORKERS } from './node-ipam-controller.js';
export { CIDRSet, CIDRSetError, parseCIDR, DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_CIDR_MASK_SIZE } from './cidr-set.js';

export const nodeIpamControllerDescriptor: ControllerDescriptor = {
  name: 'nodeipam',
  enabledByDefault: true,
  create: (ctx) => new NodeIpamController(ctx),
};
