// Filter: cordoned nodes (spec.unschedulable) take only pods tolerating
// node.kubernetes.io/unschedulable:NoSchedule (upstream NodeUnschedulable).
import type { Pod, Taint } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { FLAG_HAS_NODE, FLAG_UNSCHEDULABLE, FLAGS, ROW_STRIDE } from '../../framework/node-table.js';
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
    const t = nodeInfo.table;
    if (t !== undefined) {
      // The node's flags from the snapshot table (see node-table.ts): most nodes are not cordoned.
      const flags = t.data[nodeInfo.row * ROW_STRIDE + FLAGS]!;
      if ((flags & FLAG_HAS_NODE) !== 0 && (flags & FLAG_UNSCHEDULABLE) === 0) return SUCCESS;
    }
    const node = nodeInfo.node;
    if (!node) return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_UNKNOWN_CONDITION]);
    if (!node.spec?.unschedulable) return SUCCESS;
    return tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? SUCCESS : REJECTED;
  },
}) satisfies FilterPlugin;
