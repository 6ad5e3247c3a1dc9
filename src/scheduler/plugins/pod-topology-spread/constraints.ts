// Topology spread constraints as PodTopologySpread evaluates them (upstream
// podtopologyspread/common.go): the pod's own constraints, or the profile's default constraints
// for pods that have none. Built once per pod per cycle; matched against many nodes and pods.
import { labelSelectorFromObject, labelSelectorFromSet, andLabelSelectors, isEverything, matchesLabels, selectorToString, type LabelSelectorObject, type ParsedLabelSelector, type Node, type Pod } from '../../../api/index.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { doNotScheduleTaints, findMatchingUntoleratedTaint } from '../helper/taints.js';
import { RequiredNodeAffinity } from '../node-affinity/node-affinity.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';

/** A constraint as written in args.defaultConstraints (no labelSelector: it comes from the pod's owners). */
export interface DefaultConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: WhenUnsatisfiable;
}

/** Upstream systemDefaultConstraints, used when args.defaultingType is System. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly DefaultConstraint[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

/**
 * Label keys that differ between pods of one workload (set per pod by the StatefulSet controller,
 * or per revision); they are dropped when a pod's labels stand in for its owner's selector.
 */
const PER_POD_LABELS = new Set(['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-revision-hash']);
const SPREAD_OWNER_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController']);

/**
 * Selector of the Services/ReplicaSets/StatefulSets/ReplicationControllers selecting `pod`
 * (upstream helper.DefaultSelector, ANDed). Injected by whoever has those listers; `undefined`
 * or an everything-selector means "no default spreading" for this pod.
 */
export type DefaultSelectorFunc = (pod: Pod) => ParsedLabelSelector | undefined;

/**
 * Fallback when no DefaultSelectorFunc is injected: a pod controlled by a ReplicaSet, StatefulSet
 * or ReplicationController is spread with its siblings, approximated by its own labels minus the
 * per-pod ones (a workload's selector is a subset of its template labels). Pods selected only by
 * a Service are not default-spread by this fallback.
 */
export function ownerDerivedSelector(pod: Pod): ParsedLabelSelector | undefined {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (!owner?.kind || !SPREAD_OWNER_KINDS.has(owner.kind)) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(pod.metadata?.labels ?? {})) if (!PER_POD_LABELS.has(k)) labels[k] = v;
  if (Object.keys(labels).length === 0) return undefined;
  return labelSelectorFromSet(labels);
}

/** A parsed constraint (upstream topologySpreadConstraint). */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: ParsedLabelSelector;
  /** 1 when unset. */
  minDomains: number;
  /** Honor (default): only nodes matching the pod's nodeSelector/required node affinity count. */
  honorNodeAffinity: boolean;
  /** Honor: only nodes whose NoSchedule/NoExecute taints the pod tolerates count; Ignore (default). */
  honorNodeTaints: boolean;
}

type PodConstraint = NonNullable<NonNullable<Pod['spec']>['topologySpreadConstraints']>[number];

/** Adds `key in (value)` for each matchLabelKeys key the pod has (upstream mergeLabelSetWithSelector). */
function withMatchLabelKeys(selector: ParsedLabelSelector, keys: readonly string[] | undefined, pod: Pod): ParsedLabelSelector {
  if (!keys || keys.length === 0) return selector;
  const labels = pod.metadata?.labels ?? {};
  const set: Record<string, string> = {};
  let any = false;
  for (const k of keys) if (Object.hasOwn(labels, k)) { set[k] = labels[k]!; any = true; }
  return any ? andLabelSelectors(selector, labelSelectorFromSet(set)) : selector;
}

/** The pod's constraints with the given action (upstream filterTopologySpreadConstraints). */
export function podConstraints(pod: Pod, action: WhenUnsatisfiable): Constraint[] {
  const out: Constraint[] = [];
  for (const c of (pod.spec?.topologySpreadConstraints ?? []) as PodConstraint[]) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector: ParsedLabelSelector;
    try {
      selector = labelSelectorFromObject(c.labelSelector as LabelSelectorObject | undefined);
    } catch {
      continue;
    }
    out.push({
      maxSkew: c.maxSkew ?? 1,
      topologyKey: c.topologyKey ?? '',
      selector: withMatchLabelKeys(selector, c.matchLabelKeys, pod),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

/** Default constraints for a pod without its own (upstream buildDefaultConstraints). */
export function defaultConstraints(pod: Pod, defaults: readonly DefaultConstraint[], action: WhenUnsatisfiable, selectorOf: DefaultSelectorFunc): Constraint[] {
  const matching = defaults.filter((d) => d.whenUnsatisfiable === action);
  if (matching.length === 0) return [];
  const selector = selectorOf(pod);
  if (!selector || isEverything(selector)) return [];
  return matching.map((d) => ({
    maxSkew: d.maxSkew, topologyKey: d.topologyKey, selector, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false,
  }));
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export function nodeLabels(node: Node | undefined): Readonly<Record<string, string>> {
  return node?.metadata?.labels ?? NO_LABELS;
}

/** True if the node has every constraint's topology key (upstream nodeLabelsMatchSpreadConstraints). */
export function nodeHasAllTopologyKeys(labels: Readonly<Record<string, string>>, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

/** Upstream matchNodeInclusionPolicies: whether the node's domain counts for this constraint. */
export function nodeIncluded(c: Constraint, pod: Pod, node: Node, affinity: RequiredNodeAffinity): boolean {
  if (c.honorNodeAffinity && !affinity.match(node)) return false;
  if (c.honorNodeTaints && findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, doNotScheduleTaints)) return false;
  return true;
}

/** Pods on the node in `namespace` matching the selector, not being deleted (upstream countPodsMatchSelector). */
export function countPodsMatchSelector(nodeInfo: NodeInfo, selector: ParsedLabelSelector, namespace: string): number {
  if (selector.matchesNothing) return 0;
  // PreFilter/PreScore count every node each cycle, but between cycles only the nodes that
  // received a pod change (and a changed node is a new NodeInfo, or a new generation of a
  // preemption copy): remember counts per NodeInfo generation, selector and namespace.
  const key = `${namespace}\u0000${selectorKey(selector)}`;
  let memo = countMemo.get(nodeInfo);
  if (!memo || memo.generation !== nodeInfo.generation) {
    memo = { generation: nodeInfo.generation, counts: new Map() };
    countMemo.set(nodeInfo, memo);
  }
  const known = memo.counts.get(key);
  if (known !== undefined) return known;
  let n = 0;
  for (const pi of nodeInfo.pods) {
    const m = pi.pod.metadata;
    if (!m || m.deletionTimestamp || (m.namespace ?? '') !== namespace) continue;
    if (matchesLabels(selector, m.labels)) n++;
  }
  memo.counts.set(key, n);
  return n;
}

const countMemo = new WeakMap<NodeInfo, { generation: number; counts: Map<string, number> }>();
const selectorKeys = new WeakMap<ParsedLabelSelector, string>();

function selectorKey(selector: ParsedLabelSelector): string {
  let k = selectorKeys.get(selector);
  if (k === undefined) {
    k = selectorToString(selector);
    selectorKeys.set(selector, k);
  }
  return k;
}

export { RequiredNodeAffinity };
