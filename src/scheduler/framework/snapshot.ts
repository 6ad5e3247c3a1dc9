// The read-only view of the cluster one scheduling cycle works on (upstream cache.Snapshot). The
// scheduler cache refreshes it before each cycle; tests build one from plain objects. Its NodeInfos
// are attached to the snapshot's NodeTable (row i = nodeInfoList[i]) for the plugins' hot paths.
import type { Node, Pod } from '../../api/index.js';
import { NodeInfo } from './node-info.js';
import { NodeTable } from './node-table.js';

export class Snapshot {
  /** Nodes in a stable order; the algorithm's round-robin start index walks this list. */
  readonly nodeInfoList: NodeInfo[];
  /** Nodes with at least one pod that has pod (anti-)affinity terms. */
  havePodsWithAffinityNodeInfoList: NodeInfo[];
  /** Nodes with at least one pod with required anti-affinity terms. */
  havePodsWithRequiredAntiAffinityNodeInfoList: NodeInfo[];
  private readonly byName: Map<string, NodeInfo>;
  private readonly position: Map<string, number>;
  /** Row i holds nodeInfoList[i]'s numbers. */
  readonly table: NodeTable;

  constructor(nodeInfos: readonly NodeInfo[]) {
    this.nodeInfoList = [...nodeInfos];
    this.byName = new Map();
    this.position = new Map();
    this.table = new NodeTable(this.nodeInfoList.length);
    this.nodeInfoList.forEach((n, i) => {
      this.byName.set(n.name, n);
      this.position.set(n.name, i);
      n.attach(this.table, i);
    });
    this.havePodsWithAffinityNodeInfoList = [];
    this.havePodsWithRequiredAntiAffinityNodeInfoList = [];
    this.refreshAffinityLists();
  }

  /**
   * For the scheduler cache between cycles only: puts `ni` in place of the node of the same name,
   * keeping its position. Returns false if the node is not in this snapshot. Call
   * refreshAffinityLists() afterwards if a replaced node's pods with affinity changed.
   */
  replace(ni: NodeInfo): boolean {
    const i = this.position.get(ni.name);
    if (i === undefined) return false;
    const before = this.nodeInfoList[i]!;
    if (before !== ni && before.table === this.table) before.detach();
    ni.attach(this.table, i);
    this.nodeInfoList[i] = ni;
    this.byName.set(ni.name, ni);
    return true;
  }

  /** Recomputes the lists of nodes with (anti-)affinity pods from nodeInfoList. */
  refreshAffinityLists(): void {
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
