// Pods nominated to nodes by preemption (upstream PodNominator, part of the scheduling queue).
// The filter pass accounts for nominated pods of equal or higher priority on a node
// (Framework.runFilterPluginsWithNominatedPods), so room freed by preemption is not taken by a
// lower-priority pod before the preemptor gets it.
//
// Fed by the scheduler loop: from pods' status.nominatedNodeName as the informer reports them,
// and from the loop's own nominations (set before the API patch is visible). A nomination ends
// when the pod is assumed on a node, bound, deleted, or its nominatedNodeName is cleared.
import type { Pod } from '../api/index.js';
import { PodInfo, podKey } from './framework/node-info.js';
import { podPriority } from './plugins/priority-sort/priority-sort.js';

export class Nominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** How many pods are nominated. */
  get size(): number {
    return this.nodeOf.size;
  }

  /** Nominates `pod` to `nodeName`, replacing any earlier nomination; '' only deletes it. */
  add(pod: Pod, nodeName: string): void {
    this.delete(pod);
    if (!nodeName) return;
    const list = this.byNode.get(nodeName) ?? [];
    list.push(new PodInfo(pod));
    // Highest priority first, as the filter pass expects; stable for equal priorities.
    list.sort((a, b) => podPriority(b.pod) - podPriority(a.pod));
    this.byNode.set(nodeName, list);
    this.nodeOf.set(podKey(pod), nodeName);
  }

  /** Ends the pod's nomination, if any. */
  delete(pod: Pod): void {
    const k = podKey(pod);
    const node = this.nodeOf.get(k);
    if (node === undefined) return;
    this.nodeOf.delete(k);
    const list = (this.byNode.get(node) ?? []).filter((pi) => podKey(pi.pod) !== k);
    if (list.length) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  /** The node `pod` is nominated to, if any. */
  nodeFor(pod: Pod): string | undefined {
    return this.nodeOf.get(podKey(pod));
  }

  /** Pods nominated to `nodeName`, highest priority first. */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.byNode.get(nodeName) ?? [];
  }

  /** Upstream getLowerPriorityNominatedPods: nominees of `nodeName` with lower priority than `pod`. */
  lowerPriorityNominatedPods(pod: Pod, nodeName: string): Pod[] {
    const p = podPriority(pod);
    return this.nominatedPodsForNode(nodeName).filter((pi) => podPriority(pi.pod) < p).map((pi) => pi.pod);
  }

  /**
   * Informer update of an unassigned pod (upstream UpdateNominatedPod): a nominatedNodeName in the
   * new object wins; one cleared through the API ends the nomination; otherwise an in-memory
   * nomination made by this scheduler is kept with the newer object.
   */
  update(oldPod: Pod | undefined, pod: Pod): void {
    const nn = pod.status?.nominatedNodeName;
    if (nn) return this.add(pod, nn);
    if (oldPod?.status?.nominatedNodeName) return this.delete(pod);
    const kept = this.nodeFor(pod);
    if (kept) this.add(pod, kept);
  }
}
