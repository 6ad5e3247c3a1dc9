// PreFilterExtensions for plugins whose PreFilter state counts pods (PodTopologySpread,
// InterPodAffinity): preemption's what-if adds or removes a pod and the counts follow.
import type { Pod } from '../../../api/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { PreFilterExtensions } from '../../framework/interfaces.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { SUCCESS, type Status } from '../../framework/status.js';

/** A PreFilter state that can account for one pod more (+1) or less (-1) on a node. */
export interface PodCounts extends StateData {
  updateWithPod(pod: Pod, pi: PodInfo, nodeInfo: NodeInfo, delta: number): void;
}

/** addPod/removePod that update the counts stored under `stateKey` (no-op when absent). */
export function countingExtensions(stateKey: string): PreFilterExtensions {
  const update = (state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo, delta: 1 | -1): Status => {
    state.read<PodCounts>(stateKey)?.updateWithPod(pod, pi, nodeInfo, delta);
    return SUCCESS;
  };
  return {
    addPod: (state, pod, pi, nodeInfo) => update(state, pod, pi, nodeInfo, 1),
    removePod: (state, pod, pi, nodeInfo) => update(state, pod, pi, nodeInfo, -1),
  };
}
