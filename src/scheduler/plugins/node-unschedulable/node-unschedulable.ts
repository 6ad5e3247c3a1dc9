// Filter: cordoned nodes (spec.unschedulable) take only pods tolerating
// node.kubernetes.io/unschedulable:NoSchedule (upstream NodeUnschedulable).
import type { Pod, Taint } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PluginFactory } from '../../framework/registry.js';
import { Code, Status, SUCCESS } from '../../framework/status.js';
import { tolerationsTolerateTaint } from '../helper/taints.js';

export const name = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
const REJECTED = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_UNSCHEDULABLE], name);

export const factory: PluginFactory = () => ({
  name,
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node;
    if (!node) return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_UNKNOWN_CONDITION]);
    if (!node.spec?.unschedulable) return SUCCESS;
    return tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? SUCCESS : REJECTED;
  },
}) satisfies FilterPlugin;
