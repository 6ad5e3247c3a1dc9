// The cluster-dns controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { ClusterDNSController } from './cluster-dns-controller.js';

export { ClusterDNSController, CREATE_REFUSED_RETRY_MS, type ClusterDNSControllerOptions } from './cluster-dns-controller.js';
export {
  desiredDNSService, desiredDNSSlice, dnsEndpoint, dnsEndpoints, dnsSliceLabels, isNodeReady, nodeInternalIPs, sliceDiffers,
  CLUSTER_DNS_MANAGER, CLUSTER_DNS_NODE_LABEL, DEFAULT_CLUSTER_DNS, DNS_PORTS, KUBE_DNS_NAMESPACE, KUBE_DNS_SERVICE, KUBE_DNS_SLICE,
} from './desired.js';

export const clusterDNSControllerDescriptor: ControllerDescriptor = {
  name: 'cluster-dns',
  enabledByDefault: true,
  // `--cluster-dns` arrives as config.clusterDNS.
  create: (ctx) => new ClusterDNSController(ctx, { clusterIP: ctx.config?.clusterDNS }),
};
