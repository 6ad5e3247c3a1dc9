// The service-lb controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { ServiceLBController } from './service-lb-controller.js';

export { ServiceLBController, SERVICE_LB_WORKERS } from './service-lb-controller.js';
export {
  compareIPs, desiredIngress, isLoadBalancerNode, loadBalancerNodeIPs, loadBalancerStatusUpdate, wantsServiceLB,
  EXCLUDE_FROM_LB_LABEL, SERVICE_LB_NODE_LABEL, type LoadBalancerIngress,
} from './ingress.js';

export const serviceLBControllerDescriptor: ControllerDescriptor = {
  name: 'service-lb',
  enabledByDefault: true,
  create: (ctx) => new ServiceLBController(ctx),
};
