// Which nodes a DaemonSet's pod belongs on (upstream daemon NodeShouldRunDaemonPod and
// util.AddOrUpdateDaemonPodTolerations): the template's nodeName, nodeSelector and required node
// affinity must match the node, and its tolerations (plus the defaults every daemon pod gets)
// must tolerate the node's NoSchedule/NoExecute taints. A pod already on a node may stay while
// only NoSchedule taints are untolerated. Pure: node and template in, two booleans out.
import type { Node, PodSpec, Taint } from '../../api/index.js';

export type Toleration = NonNullable<PodSpec['tolerations']>[number];
type NodeSelectorTerm = NonNullable<NonNullable<NonNullable<NonNullable<PodSpec['affinity']>['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']>['nodeSelectorTerms']>[number];
type Requirement = NonNullable<NodeSelectorTerm['matchExpressions']>[number];

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations upstream adds to every daemon pod (network-unavailable only with hostNetwork). */
export function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const out = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) out.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return out;
}

/**
 * Upstream AddOrUpdateTolerationInPodSpec for each default: a toleration with the same key,
 * operator, value and effect is replaced, otherwise the default is appended. Returns a new list.
 */
export function withDaemonTolerations(spec: PodSpec): Toleration[] {
  const out = [...(spec.tolerations ?? [])];
  for (const d of defaultDaemonTolerations(spec.hostNetwork === true)) {
    const i = out.findIndex((t) => (t.key ?? '') === d.key && (t.operator ?? '') === d.operator && (t.value ?? '') === '' && (t.effect ?? '') === d.effect);
    if (i >= 0) out[i] = d;
    else out.push(d);
  }
  return out;
}

function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '': case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    case 'Exists': return true;
    default: return false;
  }
}

/** Whether some taint accepted by `effects` is tolerated by none of `tolerations`. */
function hasUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): boolean {
  return taints.some((taint) => effects.includes(taint.effect ?? '') && !tolerations.some((t) => toleratesTaint(t, taint)));
}

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^[+-]?\d+$/.test(value) || !/^[+-]?\d+$/.test(values[0]!)) return false;
      return r.operator === 'Gt' ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    }
    default: return false;
  }
}

/** Upstream NodeSelectorTerm matching: an empty term matches nothing; requirements are ANDed. */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, Object.hasOwn(labels, r.key ?? '') ? labels[r.key ?? ''] : undefined)) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !requirementMatches(r, node.metadata?.name)) return false;
  return true;
}

/** Upstream GetRequiredNodeAffinity(pod).Match(node): nodeSelector AND any required term. */
export function matchesRequiredNodeAffinity(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

export interface NodeFit {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/** Upstream NodeShouldRunDaemonPod for the DaemonSet's pod template spec. */
export function nodeShouldRunDaemonPod(node: Node, spec: PodSpec): NodeFit {
  const name = node.metadata?.name ?? '';
  if (spec.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesRequiredNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec);
  const taints = node.spec?.taints ?? [];
  if (hasUntolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: false, shouldContinueRunning: !hasUntolerated(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * Upstream ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the single
 * term `metadata.name In [nodeName]` (other required terms are dropped; preferred ones are kept),
 * so the scheduler binds the pod to that node and nowhere else.
 */
export function pinToNode(affinity: PodSpec['affinity'], nodeName: string): NonNullable<PodSpec['affinity']> {
  const out = structuredClone(affinity ?? {});
  const nodeAffinity = (out.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  return out;
}

/**
 * Upstream util.GetTargetNodeName: the node a daemon pod is for — spec.nodeName once bound, else
 * the node its matchFields affinity pins it to.
 */
export function targetNodeName(spec: PodSpec | undefined): string | undefined {
  if (spec?.nodeName) return spec.nodeName;
  for (const t of spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
