// Pod (anti-)affinity terms parsed once per pod object (upstream framework.AffinityTerm and the
// term lists of PodInfo). Parsed terms are cached by pod object identity: pods in the scheduler
// cache are immutable (an update replaces the object), so a cached parse never goes stale.
import { labelSelectorFromObject, matchesLabels, NOTHING_LABELS, type LabelSelectorObject, type ParsedLabelSelector, type Pod } from '../../../api/index.js';

/** Labels of a namespace by name (upstream namespace lister); `undefined` when unknown. */
export type NamespaceLabelsFunc = (namespace: string) => Readonly<Record<string, string>> | undefined;

export class AffinityTerm {
  constructor(
    /** Namespaces listed in the term, or the owning pod's namespace when neither field is set. */
    readonly namespaces: ReadonlySet<string>,
    readonly selector: ParsedLabelSelector,
    readonly topologyKey: string,
    /** Matches namespaces by their labels; NOTHING when unset, `{}` selects every namespace. */
    readonly namespaceSelector: ParsedLabelSelector,
  ) {}

  /**
   * Upstream AffinityTerm.Matches: `pod` is in one of the term's namespaces (by name, or by its
   * namespace's labels `nsLabels`) and its labels match the selector.
   */
  matches(pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined): boolean {
    const m = pod.metadata;
    if (!this.namespaces.has(m?.namespace ?? '') && !matchesLabels(this.namespaceSelector, nsLabels ?? {})) return false;
    return matchesLabels(this.selector, m?.labels);
  }

  /** As `matches`, looking up the namespace labels of `pod` only when the term has a namespaceSelector. */
  matchesWithLookup(pod: Pod, lookup: NamespaceLabelsFunc): boolean {
    const m = pod.metadata;
    const ns = m?.namespace ?? '';
    if (!this.namespaces.has(ns)) {
      if (this.namespaceSelector.matchesNothing || !matchesLabels(this.namespaceSelector, lookup(ns) ?? {})) return false;
    }
    return matchesLabels(this.selector, m?.labels);
  }
}

export interface WeightedAffinityTerm {
  term: AffinityTerm;
  weight: number;
}

/** The four term lists of a pod (upstream PodInfo required and preferred term lists). */
export interface ParsedAffinity {
  requiredAffinity: readonly AffinityTerm[];
  requiredAntiAffinity: readonly AffinityTerm[];
  preferredAffinity: readonly WeightedAffinityTerm[];
  preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

type PodAffinityTerm = NonNullable<NonNullable<NonNullable<NonNullable<Pod['spec']>['affinity']>['podAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']>[number];
type WeightedPodAffinityTerm = NonNullable<NonNullable<NonNullable<NonNullable<Pod['spec']>['affinity']>['podAffinity']>['preferredDuringSchedulingIgnoredDuringExecution']>[number];

const EMPTY: ParsedAffinity = Object.freeze({ requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] });

/** Upstream newAffinityTerm; undefined for a term whose selector does not parse (it is ignored). */
export function newAffinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm | undefined {
  let selector: ParsedLabelSelector;
  let nsSelector: ParsedLabelSelector = NOTHING_LABELS;
  try {
    selector = labelSelectorFromObject(t.labelSelector as LabelSelectorObject | undefined);
    if (t.namespaceSelector) nsSelector = labelSelectorFromObject(t.namespaceSelector as LabelSelectorObject);
  } catch {
    return undefined;
  }
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(pod.metadata?.namespace ?? '');
  return new AffinityTerm(namespaces, selector, t.topologyKey ?? '', nsSelector);
}

function parseRequired(pod: Pod, terms: readonly PodAffinityTerm[] | undefined): AffinityTerm[] {
  const out: AffinityTerm[] = [];
  for (const t of terms ?? []) {
    const a = newAffinityTerm(pod, t);
    if (a) out.push(a);
  }
  return out;
}

function parsePreferred(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  const out: WeightedAffinityTerm[] = [];
  for (const t of terms ?? []) {
    const a = t.podAffinityTerm ? newAffinityTerm(pod, t.podAffinityTerm) : undefined;
    if (a) out.push({ term: a, weight: t.weight ?? 0 });
  }
  return out;
}

const cache = new WeakMap<Pod, ParsedAffinity>();

/** The pod's parsed terms, computed on first use. */
export function affinityOf(pod: Pod): ParsedAffinity {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return EMPTY;
  let p = cache.get(pod);
  if (!p) {
    p = {
      requiredAffinity: parseRequired(pod, a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
      requiredAntiAffinity: parseRequired(pod, a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
      preferredAffinity: parsePreferred(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      preferredAntiAffinity: parsePreferred(pod, a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    };
    cache.set(pod, p);
  }
  return p;
}

/** Upstream podMatchesAllAffinityTerms: false for an empty list. */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, lookup: NamespaceLabelsFunc): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matchesWithLookup(pod, lookup)) return false;
  return true;
}
