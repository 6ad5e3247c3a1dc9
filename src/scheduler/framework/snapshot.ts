// The read-only view of the cluster one scheduling cycle works on (upstream cache.Snapshot). The
// scheduler cache refreshes it before each cycle; tests build one from plain objects.
import type { Node, Pod } from '../../api/index.js';
import { NodeInfo } from './node-info.js';

export class Snapshot {
  /** Nodes in a stable order; the algorithm's round-robin start index walks this list. */
  readonly nodeInfoList: NodeInfo[];
  /** Nodes with at least one pod that has pod (anti-)affinity terms. */
  readonly havePodsWithAffinityNodeInfoList: NodeInfo[];
  /** Nodes with at least one pod with required anti-affinity terms. */
  readonly havePodsWithRequiredAntiAffinityNodeInfoList: NodeInfo[];
  private readonly byName: Map<string, NodeInfo>;

  constructor(nodeInfos: readonly NodeInfo[]) {
    this.nodeInfoList = [...nodeInfos];
    this.byName = new Map(this.nodeInfoList.map((n) => [n.name, n]));
    this.havePodsWithAffinityNodeInfoList = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.havePodsWithRequiredAntiAffinityNodeInfoList = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  /**
   * Builds a snapshot from API objects: each pod with `spec.nodeName` naming a listed node is
   * accounted on it; other pods are ignored (they are not running anywhere yet).
   */
  static fromObjects(nodes: readonly Node[], pods: readonly Pod[] = []): Snapshot {
    const infos = nodes.map((n) => new NodeInfo(n));
    const byName = new Map(infos.map((n) => [n.name, n]));
    for (const p of pods) {
      const ni = p.spec?.nodeName ? byName.get(p.spec.nodeName) : undefined;
      if (ni) ni.addPod(p);
    }
    return new Snapshot(infos);
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  get numNodes(): number {
    return this.nodeInfoList.length;
  }
}
