// PreFilter state of InterPodAffinity (upstream interpodaffinity/filtering.go): counts of matching
// pods per topology pair (topology key → value → count) for (1) existing pods' required anti-affinity terms that
// match the incoming pod, (2) the incoming pod's required affinity terms (a pod counts when it
// matches all of them) and (3) its required anti-affinity terms (each term on its own).
import type { Pod } from '../../../api/index.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { affinityOf, infoOf, matchesAllTerms, type AffinityTerm, type NamespaceLabelsFunc, type ParsedAffinity } from './terms.js';

/** Topology key → value → matching pods; pairs at zero are removed, so `size` 0 means none. */
type Counts = Map<string, Map<string, number>>;
type Labels = Readonly<Record<string, string>>;

const NO_LABELS: Labels = Object.freeze({});

function bumpOne(m: Counts, t: AffinityTerm, labels: Labels, delta: number): void {
  if (!Object.hasOwn(labels, t.topologyKey)) return;
  const value = labels[t.topologyKey]!;
  let byValue = m.get(t.topologyKey);
  if (!byValue) { byValue = new Map(); m.set(t.topologyKey, byValue); }
  const v = (byValue.get(value) ?? 0) + delta;
  if (v !== 0) { byValue.set(value, v); return; }
  byValue.delete(value);
  if (byValue.size === 0) m.delete(t.topologyKey);
}

function bump(m: Counts, terms: readonly AffinityTerm[] | AffinityTerm, labels: Labels, delta: number): void {
  if (!Array.isArray(terms)) { bumpOne(m, terms as AffinityTerm, labels, delta); return; }
  for (const t of terms) bumpOne(m, t, labels, delta);
}

function countOf(m: Counts, key: string, labels: Labels): number {
  return m.get(key)?.get(labels[key]!) ?? 0;
}

function cloneCounts(m: Counts): Counts {
  const c: Counts = new Map();
  for (const [k, v] of m) c.set(k, new Map(v));
  return c;
}

export class PreFilterState implements StateData {
  constructor(
    readonly podAffinity: ParsedAffinity,
    /** Labels of the incoming pod's namespace (for existing pods' namespaceSelectors). */
    readonly nsLabels: Labels,
    readonly lookup: NamespaceLabelsFunc,
    readonly existingAntiAffinityCounts: Counts = new Map(),
    readonly affinityCounts: Counts = new Map(),
    readonly antiAffinityCounts: Counts = new Map(),
  ) {}

  /**
   * How existing pods with a given signature (see PodAffinityInfo) match the incoming pod's
   * required terms: bit 0 = all affinity terms, bit i+1 = anti-affinity term i. Per cycle.
   */
  private readonly matchMemo = new Map<string, number>();

  /**
   * Built by PreFilter. `withRequiredAntiAffinity` are the nodes hosting pods with required
   * anti-affinity; `all` every node (walked only when the incoming pod has required terms).
   */
  static compute(pod: Pod, lookup: NamespaceLabelsFunc, all: readonly NodeInfo[], withRequiredAntiAffinity: readonly NodeInfo[]): PreFilterState {
    const s = new PreFilterState(affinityOf(pod), lookup(pod.metadata?.namespace ?? '') ?? NO_LABELS, lookup);
    const { requiredAffinity, requiredAntiAffinity } = s.podAffinity;
    const ownTerms = requiredAffinity.length > 0 || requiredAntiAffinity.length > 0;
    // One walk: every node when the incoming pod has terms of its own, else only the nodes with
    // pods carrying required anti-affinity.
    const nodes = ownTerms ? all : withRequiredAntiAffinity;
    for (let n = 0; n < nodes.length; n++) {
      const ni = nodes[n]!;
      const labels = ni.node?.metadata?.labels;
      if (!labels) continue;
      if (!ownTerms) {
        const anti = ni.podsWithRequiredAntiAffinity;
        for (let i = 0; i < anti.length; i++) s.addExistingAntiAffinity(pod, anti[i]!, labels, 1);
        continue;
      }
      const pods = ni.pods;
      for (let i = 0; i < pods.length; i++) {
        const pi = pods[i]!;
        if (pi.hasRequiredAntiAffinity) s.addExistingAntiAffinity(pod, pi, labels, 1);
        s.addIncomingTerms(pi, labels, 1);
      }
    }
    return s;
  }

  private addExistingAntiAffinity(incoming: Pod, pi: PodInfo, labels: Labels, delta: number): void {
    const terms = infoOf(pi).affinity.requiredAntiAffinity;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!;
      if (t.matchesIncoming(incoming, this.nsLabels)) bumpOne(this.existingAntiAffinityCounts, t, labels, delta);
    }
  }

  private addIncomingTerms(pi: PodInfo, labels: Labels, delta: number): void {
    const { requiredAffinity, requiredAntiAffinity } = this.podAffinity;
    const sig = infoOf(pi).signature;
    let mask = this.matchMemo.get(sig);
    if (mask === undefined) {
      mask = requiredAffinity.length > 0 && matchesAllTerms(requiredAffinity, pi.pod, this.lookup) ? 1 : 0;
      for (let i = 0; i < requiredAntiAffinity.length; i++) {
        if (requiredAntiAffinity[i]!.matchesWithLookup(pi.pod, this.lookup)) mask |= 2 ** (i + 1);
      }
      this.matchMemo.set(sig, mask);
    }
    if (mask === 0) return;
    if (mask & 1) bump(this.affinityCounts, requiredAffinity, labels, delta);
    for (let i = 0; i < requiredAntiAffinity.length; i++) {
      if (Math.floor(mask / 2 ** (i + 1)) % 2 === 1) bumpOne(this.antiAffinityCounts, requiredAntiAffinity[i]!, labels, delta);
    }
  }

  /** Preemption's what-if (upstream updateWithPod); `delta` is +1 (added) or -1 (removed). */
  updateWithPod(incoming: Pod, pi: PodInfo, nodeInfo: NodeInfo, delta: number): void {
    const labels = nodeInfo.node?.metadata?.labels;
    if (!labels) return;
    if (pi.hasRequiredAntiAffinity) this.addExistingAntiAffinity(incoming, pi, labels, delta);
    this.addIncomingTerms(pi, labels, delta);
  }

  /** Upstream satisfyPodAffinity, including "the first pod of a group matches its own terms". */
  satisfiesPodAffinity(pod: Pod, labels: Labels): boolean {
    const terms = this.podAffinity.requiredAffinity;
    if (terms.length === 0) return true;
    let podsExist = true;
    for (const t of terms) {
      if (!Object.hasOwn(labels, t.topologyKey)) return false;
      if (countOf(this.affinityCounts, t.topologyKey, labels) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    return this.affinityCounts.size === 0 && matchesAllTerms(terms, pod, this.lookup);
  }

  /** Upstream satisfyPodAntiAffinity. */
  satisfiesPodAntiAffinity(labels: Labels): boolean {
    if (this.antiAffinityCounts.size === 0) return true;
    for (const t of this.podAffinity.requiredAntiAffinity) {
      if (!Object.hasOwn(labels, t.topologyKey)) continue;
      if (countOf(this.antiAffinityCounts, t.topologyKey, labels) > 0) return false;
    }
    return true;
  }

  /** Upstream satisfyExistingPodsAntiAffinity: no counted pair is one of the node's labels. */
  satisfiesExistingPodsAntiAffinity(labels: Labels): boolean {
    for (const [key, byValue] of this.existingAntiAffinityCounts) {
      if (Object.hasOwn(labels, key) && (byValue.get(labels[key]!) ?? 0) > 0) return false;
    }
    return true;
  }

  clone(): PreFilterState {
    return new PreFilterState(this.podAffinity, this.nsLabels, this.lookup,
      cloneCounts(this.existingAntiAffinityCounts), cloneCounts(this.affinityCounts), cloneCounts(this.antiAffinityCounts));
  }
}
