// PreFilter + Filter: host ports the pod wants must be free on the node (upstream NodePorts).
import type { Pod } from '../../../api/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { podHostPorts, type HostPort } from '../../framework/host-ports.js';
import type { PluginFactory } from '../../framework/registry.js';
import { asStatus, Code, SKIP, Status, SUCCESS } from '../../framework/status.js';

export const name = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const STATE_KEY = `PreFilter${name}`;

class PreFilterState implements StateData {
  constructor(readonly ports: readonly HostPort[]) {}
  clone(): StateData { return this; }
}

const REJECTED = new Status(Code.Unschedulable, [ERR_REASON], name);

/** True if none of `ports` conflicts with the node's used host ports (upstream fitsPorts). */
export function fitsPorts(ports: readonly HostPort[], nodeInfo: NodeInfo): boolean {
  for (const p of ports) if (nodeInfo.usedPorts.checkConflict(p.ip, p.protocol, p.port)) return false;
  return true;
}

export const factory: PluginFactory = () => ({
  name,
  preFilter(state: CycleState, pod: Pod): Status {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return SKIP;
    state.write(STATE_KEY, new PreFilterState(ports));
    return SUCCESS;
  },
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return asStatus(`reading "${STATE_KEY}" from cycleState: not found`);
    return fitsPorts(s.ports, nodeInfo) ? SUCCESS : REJECTED;
  },
}) satisfies PreFilterPlugin & FilterPlugin;
