// Filter: a pod with spec.nodeName fits only that node (upstream NodeName).
import type { Pod } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PluginFactory } from '../../framework/registry.js';
import { Code, Status, SUCCESS } from '../../framework/status.js';

export const name = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

const REJECTED = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON], name);

export const factory: PluginFactory = () => ({
  name,
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const want = pod.spec?.nodeName;
    return !want || want === nodeInfo.name ? SUCCESS : REJECTED;
  },
}) satisfies FilterPlugin;
