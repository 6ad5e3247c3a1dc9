// Pod (anti)affinity terms parsed once per pod object (upstream framework.AffinityTerm and the
// term lists of PodInfo). Parsed terms are cached on the PodInfo (or by pod object identity for
// the incoming pod): pods are immutable (an update replaces the object), so a parse never goes
// stale. Equal terms of different pods are interned to one AffinityTerm, so a cycle matches the
// incoming pod once per distinct term rather than once per existing pod.
import {
  labelSelectorFromObject, matchesLabels, NOTHING_LABELS, selectorToString,
  type LabelSelectorObject, type ParsedLabelSelector, type Pod,
} from '../../../api/index.js';
import type { PodInfo } from '../../framework/node-info.js';

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

  private memoPod: Pod | undefined;
  private memoNsLabels: Readonly<Record<string, string>> | undefined;
  private memoResult = false;

  /**
   * `matches` for the pod being scheduled, remembered for the last (pod, nsLabels) asked: an
   * interned term is shared by many existing pods and is asked about one incoming pod per cycle.
   */
  matchesIncoming(pod: Pod, nsLabels: Readonly<Record<string, string>>): boolean {
    if (this.memoPod !== pod || this.memoNsLabels !== nsLabels) {
      this.memoResult = this.matches(pod, nsLabels);
      this.memoPod = pod;
      this.memoNsLabels = nsLabels;
    }
    return this.memoResult;
  }

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
  return intern(new AffinityTerm(namespaces, selector, t.topologyKey ?? '', nsSelector));
}

const selectorKey = (s: ParsedLabelSelector): string => (s.matchesNothing ? '\u0001' : selectorToString(s));
const interned = new Map<string, AffinityTerm>();
/** Bound on the intern table; it is simply emptied when full (interning is only an optimisation). */
const MAX_INTERNED = 10_000;

function intern(t: AffinityTerm): AffinityTerm {
  const key = [[...t.namespaces].sort().join(','), selectorKey(t.selector), t.topologyKey, selectorKey(t.namespaceSelector)].join('\u0000');
  const found = interned.get(key);
  if (found) return found;
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(key, t);
  return t;
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

function parse(pod: Pod): ParsedAffinity {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return EMPTY;
  return {
    requiredAffinity: parseRequired(pod, a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: parseRequired(pod, a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: parsePreferred(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: parsePreferred(pod, a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

const cache = new WeakMap<Pod, ParsedAffinity>();

/** The parsed terms of a pod that is not (yet) in a NodeInfo, e.g. the pod being scheduled. */
export function affinityOf(pod: Pod): ParsedAffinity {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return EMPTY;
  let p = cache.get(pod);
  if (!p) {
    p = parse(pod);
    cache.set(pod, p);
  }
  return p;
}

/** What InterPodAffinity keeps on each PodInfo (in its `affinityTerms` slot). */
export interface PodAffinityInfo {
  readonly affinity: ParsedAffinity;
  /**
   * Namespace and sorted labels: pods with equal signatures match any term alike, so a cycle
   * matches the incoming pod's terms once per signature.
   */
  readonly signature: string;
  /** The pod has required affinity or preferred terms, so it can score other pods' nodes. */
  readonly scoresOthers: boolean;
}

/** The PodInfo's parsed terms and signature, computed on first use. */
export function infoOf(pi: PodInfo): PodAffinityInfo {
  let info = pi.affinityTerms as PodAffinityInfo | undefined;
  if (!info) {
    const m = pi.pod.metadata;
    const labels = m?.labels ?? {};
    const keys = Object.keys(labels).sort();
    let signature = m?.namespace ?? '';
    for (const k of keys) signature += `\u0000${k}=${labels[k]}`;
    const affinity = parse(pi.pod);
    const scoresOthers = affinity.requiredAffinity.length + affinity.preferredAffinity.length + affinity.preferredAntiAffinity.length > 0;
    info = { affinity, signature, scoresOthers };
    pi.affinityTerms = info;
  }
  return info;
}

/** Upstream podMatchesAllAffinityTerms: false for an empty list. */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, lookup: NamespaceLabelsFunc): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matchesWithLookup(pod, lookup)) return false;
  return true;
}
