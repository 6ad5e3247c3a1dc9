// PreFilter state of PodTopologySpread (upstream podtopologyspread/filtering.go): for each
// DoNotSchedule constraint, matching pods per topology domain over the eligible nodes, and the
// global minimum. Filter then checks `count(domain) + selfMatch - min <= maxSkew` per node.
import { matchesLabels, type Pod } from '../../../api/index.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import {
  countPodsMatchSelector, nodeHasAllTopologyKeys, nodeIncluded, nodeLabels, RequiredNodeAffinity, type Constraint,
} from './constraints.js';

export class PreFilterState implements StateData {
  /** Per constraint: domain value → matching pods. */
  readonly counts: Map<string, number>[];
  /** Per constraint: the smallest count over its domains (Infinity when there are none). */
  readonly minCounts: number[];

  constructor(
    readonly constraints: readonly Constraint[],
    readonly affinity: RequiredNodeAffinity,
    counts?: Map<string, number>[],
  ) {
    this.counts = counts ?? constraints.map(() => new Map());
    this.minCounts = this.counts.map(minOf);
  }

  /** Built by PreFilter over every node of the snapshot. */
  static compute(pod: Pod, constraints: readonly Constraint[], nodes: readonly NodeInfo[]): PreFilterState {
    const s = new PreFilterState(constraints, new RequiredNodeAffinity(pod));
    const ns = pod.metadata?.namespace ?? '';
    for (const ni of nodes) {
      const node = ni.node;
      if (!node) continue;
      const labels = nodeLabels(node);
      if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!nodeIncluded(c, pod, node, s.affinity)) continue;
        const value = labels[c.topologyKey]!;
        const m = s.counts[i]!;
        m.set(value, (m.get(value) ?? 0) + countPodsMatchSelector(ni, c.selector, ns));
      }
    }
    for (let i = 0; i < constraints.length; i++) s.minCounts[i] = minOf(s.counts[i]!);
    return s;
  }

  /**
   * The minimum a node's domain is compared with (upstream minMatchNum): 0 while fewer than
   * minDomains domains are eligible.
   */
  minMatchNum(i: number): number {
    const c = this.constraints[i]!;
    if (c.minDomains > 1 && this.counts[i]!.size < c.minDomains) return 0;
    return this.minCounts[i]!;
  }

  /**
   * Preemption's what-if (upstream updateWithPod): accounts `delta` (+1/-1) for a pod added to or
   * removed from `nodeInfo`. Must be called with exact inverse pairs.
   */
  updateWithPod(incoming: Pod, pi: PodInfo, nodeInfo: NodeInfo, delta: number): void {
    const node = nodeInfo.node;
    if (!node) return;
    if ((pi.pod.metadata?.namespace ?? '') !== (incoming.metadata?.namespace ?? '')) return;
    const labels = nodeLabels(node);
    if (!nodeHasAllTopologyKeys(labels, this.constraints)) return;
    for (let i = 0; i < this.constraints.length; i++) {
      const c = this.constraints[i]!;
      if (!nodeIncluded(c, incoming, node, this.affinity)) continue;
      if (!matchesLabels(c.selector, pi.pod.metadata?.labels)) continue;
      const m = this.counts[i]!;
      const v = labels[c.topologyKey]!;
      m.set(v, (m.get(v) ?? 0) + delta);
      this.minCounts[i] = minOf(m);
    }
  }

  clone(): PreFilterState {
    return new PreFilterState(this.constraints, this.affinity, this.counts.map((m) => new Map(m)));
  }
}

function minOf(m: Map<string, number>): number {
  let min = Infinity;
  for (const v of m.values()) if (v < min) min = v;
  return min;
}
