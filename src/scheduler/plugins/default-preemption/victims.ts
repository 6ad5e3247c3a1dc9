// Victim selection on one node (upstream DefaultPreemption.SelectVictimsOnNode) and the pod
// ordering it relies on (upstream util.MoreImportantPod). Pure: works on a cloned CycleState and a
// cloned NodeInfo, which it mutates; the caller's snapshot is never touched.
//
// PodDisruptionBudgets are not considered: every victim counts as non-violating, so the reprieve
// pass runs once over all potential victims and numPDBViolations is always 0.
import type { Pod } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { Framework } from '../../framework/framework.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Code, newStatus, Status, SUCCESS } from '../../framework/status.js';
import { podPriority } from '../priority-sort/priority-sort.js';

/** Upstream's status for a node without lower-priority pods. */
export const NO_VICTIMS_REASON = 'No preemption victims found for incoming pod';

/** Upstream GetPodStartTime: status.startTime in ms, or `now` when the pod has not started. */
export function podStartTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** Upstream MoreImportantPod: higher priority, then the earlier start time. */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const p1 = podPriority(a);
  const p2 = podPriority(b);
  if (p1 !== p2) return p1 > p2;
  return podStartTime(a, now) < podStartTime(b, now);
}

export interface VictimsOnNode {
  /** Pods to delete, most important first (empty unless `status` is Success). */
  victims: Pod[];
  numPDBViolations: number;
  status: Status;
}

/**
 * Removes every lower-priority pod from `nodeInfo`, checks the preemptor then fits, and reprieves
 * the potential victims most important first, keeping each whose return still lets it fit.
 * `state` and `nodeInfo` must be copies owned by this call.
 */
export function selectVictimsOnNode(fwk: Framework, state: CycleState, pod: Pod, nodeInfo: NodeInfo, now: number): VictimsOnNode {
  const fail = (status: Status): VictimsOnNode => ({ victims: [], numPDBViolations: 0, status });
  const removePod = (pi: PodInfo): Status => {
    nodeInfo.removePod(pi.pod);
    return fwk.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
  };
  const addPod = (pi: PodInfo): Status => {
    nodeInfo.addPodInfo(pi);
    return fwk.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
  };
  const priority = podPriority(pod);
  const potential: PodInfo[] = [];
  for (const pi of [...nodeInfo.pods]) {
    if (podPriority(pi.pod) >= priority) continue;
    potential.push(pi);
    const s = removePod(pi);
    if (!s.isSuccess()) return fail(s);
  }
  if (potential.length === 0) return fail(newStatus(Code.UnschedulableAndUnresolvable, NO_VICTIMS_REASON));
  // Affinity of the preemptor to one of the victims is not resolved here, as upstream.
  const fits = fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (!fits.isSuccess()) return fail(fits);
  potential.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
  const victims: Pod[] = [];
  for (const pi of potential) {
    let s = addPod(pi);
    if (!s.isSuccess()) return fail(s);
    if (fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess()) continue;
    s = removePod(pi);
    if (!s.isSuccess()) return fail(s);
    victims.push(pi.pod);
  }
  return { victims, numPDBViolations: 0, status: SUCCESS };
}
