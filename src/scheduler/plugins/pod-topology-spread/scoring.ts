// PreScore state of PodTopologySpread (upstream podtopologyspread/scoring.go): for each
// ScheduleAnyway constraint, matching pods per domain of the feasible nodes (hostname domains are
// counted in Score, per node), and a log-size weight per constraint so that a constraint over many
// small domains does not dominate one over few large domains.
import type { Pod } from '../../../api/index.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import {
  countPodsMatchSelector, LABEL_HOSTNAME, nodeHasAllTopologyKeys, nodeIncluded, nodeLabels, RequiredNodeAffinity, type Constraint,
} from './constraints.js';

export class PreScoreState implements StateData {
  /** Feasible nodes lacking a topology key when all are required: scored 0, left out of normalization. */
  readonly ignoredNodes = new Set<string>();
  /** Per constraint: domain value → matching pods (not used for the hostname key). */
  readonly counts: Map<string, number>[];
  /** Per constraint: ln(domains + 2) (upstream topologyNormalizingWeight). */
  readonly weights: number[];

  private constructor(readonly constraints: readonly Constraint[]) {
    this.counts = constraints.map(() => new Map());
    this.weights = constraints.map(() => 0);
  }

  /**
   * Built by PreScore. `requireAllTopologies` is false only for system-defaulted constraints,
   * where nodes missing a key still score.
   */
  static compute(pod: Pod, constraints: readonly Constraint[], feasible: readonly NodeInfo[], all: readonly NodeInfo[], requireAllTopologies: boolean): PreScoreState {
    const s = new PreScoreState(constraints);
    const sizes = constraints.map(() => 0);
    for (const ni of feasible) {
      const labels = nodeLabels(ni.node);
      if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) {
        s.ignoredNodes.add(ni.name);
        continue;
      }
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (c.topologyKey === LABEL_HOSTNAME) continue;
        const value = labels[c.topologyKey] ?? '';
        const m = s.counts[i]!;
        if (!m.has(value)) { m.set(value, 0); sizes[i]!++; }
      }
    }
    for (let i = 0; i < constraints.length; i++) {
      const size = constraints[i]!.topologyKey === LABEL_HOSTNAME ? feasible.length - s.ignoredNodes.size : sizes[i]!;
      s.weights[i] = Math.log(size + 2);
    }
    const affinity = new RequiredNodeAffinity(pod);
    const ns = pod.metadata?.namespace ?? '';
    for (const ni of all) {
      const node = ni.node;
      if (!node) continue;
      const labels = nodeLabels(node);
      if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!nodeIncluded(c, pod, node, affinity)) continue;
        const m = s.counts[i]!;
        const value = labels[c.topologyKey] ?? '';
        const cur = m.get(value);
        if (cur === undefined) continue;
        m.set(value, cur + countPodsMatchSelector(ni, c.selector, ns));
      }
    }
    return s;
  }

  /** The node's raw score: lower means fewer matching pods in its domains (upstream Score). */
  score(pod: Pod, ni: NodeInfo): number {
    if (this.ignoredNodes.has(ni.name)) return 0;
    const labels = nodeLabels(ni.node);
    const ns = pod.metadata?.namespace ?? '';
    let score = 0;
    for (let i = 0; i < this.constraints.length; i++) {
      const c = this.constraints[i]!;
      if (!Object.hasOwn(labels, c.topologyKey)) continue;
      const cnt = c.topologyKey === LABEL_HOSTNAME
        ? countPodsMatchSelector(ni, c.selector, ns)
        : this.counts[i]!.get(labels[c.topologyKey]!) ?? 0;
      score += cnt * this.weights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** Upstream NormalizeScore: fewest matches → 100; ignored nodes → 0. */
  normalize(scores: number[], nodes: readonly NodeInfo[], maxNodeScore: number): void {
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (this.ignoredNodes.has(nodes[i]!.name)) continue;
      const v = scores[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    for (let i = 0; i < scores.length; i++) {
      if (this.ignoredNodes.has(nodes[i]!.name)) { scores[i] = 0; continue; }
      if (max === 0) { scores[i] = maxNodeScore; continue; }
      scores[i] = Math.trunc((maxNodeScore * (max + min - scores[i]!)) / max);
    }
  }

  clone(): PreScoreState { return this; }
}
