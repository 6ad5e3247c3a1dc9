// PreScore state of InterPodAffinity (upstream interpodaffinity/scoring.go): a score per topology
// pair, summed from the incoming pod's preferred terms matching existing pods, existing pods'
// required affinity terms matching the incoming pod (hardPodAffinityWeight) and, unless ignored,
// existing pods' preferred terms. Anti-affinity terms subtract their weight.
import type { Pod } from '../../../api/index.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { affinityOf, infoOf, type AffinityTerm, type NamespaceLabelsFunc, type ParsedAffinity, type WeightedAffinityTerm } from './terms.js';

type Labels = Readonly<Record<string, string>>;

function hasAny(labels: Labels): boolean {
  for (const _ in labels) return true;
  return false;
}

export interface ScoringOptions {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

export class PreScoreState implements StateData {
  /** Topology key → value → score. */
  readonly topologyScore = new Map<string, Map<string, number>>();
  private readonly podAffinity: ParsedAffinity;
  private readonly nsLabels: Labels;

  private constructor(pod: Pod, private readonly lookup: NamespaceLabelsFunc, private readonly opts: ScoringOptions) {
    this.podAffinity = affinityOf(pod);
    this.nsLabels = lookup(pod.metadata?.namespace ?? '') ?? {};
  }

  /**
   * Built by PreScore. When the incoming pod has preferred terms every pod on every node counts;
   * otherwise only pods with affinity terms (`withAffinity` nodes) can contribute.
   */
  static compute(pod: Pod, lookup: NamespaceLabelsFunc, opts: ScoringOptions, all: readonly NodeInfo[], withAffinity: readonly NodeInfo[]): PreScoreState {
    const s = new PreScoreState(pod, lookup, opts);
    const own = s.podAffinity.preferredAffinity.length > 0 || s.podAffinity.preferredAntiAffinity.length > 0;
    for (const ni of own ? all : withAffinity) {
      const labels = ni.node?.metadata?.labels;
      if (!labels || !hasAny(labels)) continue;
      const pods: readonly PodInfo[] = own ? ni.pods : ni.podsWithAffinity;
      for (let i = 0; i < pods.length; i++) {
        const pi = pods[i]!;
        if (own || infoOf(pi).scoresOthers) s.processExistingPod(pod, pi, labels);
      }
    }
    return s;
  }

  private add(t: AffinityTerm, weight: number, labels: Labels): void {
    if (!Object.hasOwn(labels, t.topologyKey)) return;
    let byValue = this.topologyScore.get(t.topologyKey);
    if (!byValue) { byValue = new Map(); this.topologyScore.set(t.topologyKey, byValue); }
    const v = labels[t.topologyKey]!;
    byValue.set(v, (byValue.get(v) ?? 0) + weight);
  }

  private ownTerms(terms: readonly WeightedAffinityTerm[], existing: Pod, labels: Labels, sign: number): void {
    for (const { term, weight } of terms) if (term.matchesWithLookup(existing, this.lookup)) this.add(term, weight * sign, labels);
  }

  private existingTerms(terms: readonly WeightedAffinityTerm[], incoming: Pod, labels: Labels, sign: number): void {
    for (const { term, weight } of terms) if (term.matchesIncoming(incoming, this.nsLabels)) this.add(term, weight * sign, labels);
  }

  /** Upstream processExistingPod. */
  private processExistingPod(incoming: Pod, pi: PodInfo, labels: Labels): void {
    const existing = pi.pod;
    this.ownTerms(this.podAffinity.preferredAffinity, existing, labels, 1);
    this.ownTerms(this.podAffinity.preferredAntiAffinity, existing, labels, -1);
    const ex = infoOf(pi).affinity;
    if (this.opts.hardPodAffinityWeight > 0) {
      for (const t of ex.requiredAffinity) if (t.matchesIncoming(incoming, this.nsLabels)) this.add(t, this.opts.hardPodAffinityWeight, labels);
    }
    if (!this.opts.ignorePreferredTermsOfExistingPods) {
      this.existingTerms(ex.preferredAffinity, incoming, labels, 1);
      this.existingTerms(ex.preferredAntiAffinity, incoming, labels, -1);
    }
  }

  /** The node's raw score: the sum of its topology pairs' scores (upstream Score). */
  score(ni: NodeInfo): number {
    const labels = ni.node?.metadata?.labels;
    if (!labels) return 0;
    let score = 0;
    for (const [key, byValue] of this.topologyScore) {
      if (Object.hasOwn(labels, key)) score += byValue.get(labels[key]!) ?? 0;
    }
    return score;
  }

  /** Upstream NormalizeScore: min–max scaling to [0, maxNodeScore]; a flat result becomes 0. */
  normalize(scores: number[], maxNodeScore: number): void {
    if (this.topologyScore.size === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const v of scores) { if (v < min) min = v; if (v > max) max = v; }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(maxNodeScore * ((scores[i]! - min) / diff)) : 0;
  }

  clone(): PreScoreState { return this; }
}
