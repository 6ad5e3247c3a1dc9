// ResourceQuota usage (upstream pkg/quota/v1/evaluator/core and generic): what each object
// charges against a quota, and a namespace's total for the resources a quota's spec.hard names.
// Pure: the controller supplies the namespace's objects and the time.
import { addQuantity, compareQuantity, quantityToString, toQuantity, type Quantity } from '../../api/index.js';

type Obj = { metadata?: { name?: string; deletionTimestamp?: string; deletionGracePeriodSeconds?: number } };
type ResourceList = Record<string, string | number>;
interface Container { resources?: { requests?: ResourceList; limits?: ResourceList } }
export interface QuotaPod extends Obj {
  spec?: { containers?: Container[]; initContainers?: Container[]; overhead?: ResourceList; activeDeadlineSeconds?: number; priorityClassName?: string };
  status?: { phase?: string };
}
export interface QuotaService extends Obj { spec?: { type?: string; ports?: unknown[] } }
export interface QuotaPvc extends Obj { spec?: { resources?: { requests?: ResourceList } } }

/** The resources the pod evaluator computes (upstream podResources). `cpu`/`memory` mean requests. */
const POD_COMPUTE: Record<string, { from: 'requests' | 'limits'; name: string }> = {
  cpu: { from: 'requests', name: 'cpu' }, 'requests.cpu': { from: 'requests', name: 'cpu' }, 'limits.cpu': { from: 'limits', name: 'cpu' },
  memory: { from: 'requests', name: 'memory' }, 'requests.memory': { from: 'requests', name: 'memory' }, 'limits.memory': { from: 'limits', name: 'memory' },
  'ephemeral-storage': { from: 'requests', name: 'ephemeral-storage' }, 'requests.ephemeral-storage': { from: 'requests', name: 'ephemeral-storage' },
  'limits.ephemeral-storage': { from: 'limits', name: 'ephemeral-storage' },
};

const ZERO: Quantity = toQuantity('0');
const max = (a: Quantity, b: Quantity) => (compareQuantity(a, b) >= 0 ? a : b);

/**
 * Whether a pod still charges its quota (upstream QuotaV1Pod): not terminal, and not past the end
 * of its graceful deletion.
 */
export function podCharges(pod: QuotaPod, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const m = pod.metadata;
  if (m?.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined) {
    if (now > Date.parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

/**
 * A pod's request or limit of one resource (upstream PodRequests/PodLimits): the sum over its
 * containers, at least the largest init container's, plus the pod overhead.
 */
export function podResource(pod: QuotaPod, from: 'requests' | 'limits', name: string): Quantity {
  let sum = ZERO;
  for (const c of pod.spec?.containers ?? []) {
    const v = c.resources?.[from]?.[name];
    if (v !== undefined) sum = addQuantity(sum, v);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const v = c.resources?.[from]?.[name];
    if (v !== undefined) sum = max(sum, toQuantity(v));
  }
  const overhead = pod.spec?.overhead?.[name];
  if (overhead !== undefined && compareQuantity(sum, ZERO) !== 0) sum = addQuantity(sum, overhead);
  return sum;
}

/** No container sets requests or limits (upstream qos BestEffort). */
export function isBestEffort(pod: QuotaPod): boolean {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
    .every((c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0);
}

export interface ScopeRequirement { scopeName?: string; operator?: string; values?: string[] }

/** Whether the pod is in the scope (upstream podMatchesScopeFunc). */
export function podMatchesScope(pod: QuotaPod, req: ScopeRequirement): boolean {
  let matches: boolean;
  switch (req.scopeName) {
    case 'Terminating': matches = pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds >= 0; break;
    case 'NotTerminating': matches = !(pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds >= 0); break;
    case 'BestEffort': matches = isBestEffort(pod); break;
    case 'NotBestEffort': matches = !isBestEffort(pod); break;
    case 'PriorityClass': {
      const pc = pod.spec?.priorityClassName ?? '';
      const values = req.values ?? [];
      if (req.operator === 'In') return values.includes(pc);
      if (req.operator === 'NotIn') return !values.includes(pc);
      if (req.operator === 'DoesNotExist') return pc === '';
      return pc !== '';
    }
    default: return false;
  }
  return req.operator === 'DoesNotExist' ? !matches : matches;
}

/** The namespace's objects a quota is computed from; `count(resource, group)` lists any other resource. */
export interface NamespaceObjects {
  pods: readonly QuotaPod[];
  services: readonly QuotaService[];
  configmaps: number;
  secrets: number;
  pvcs: readonly QuotaPvc[];
  resourcequotas: number;
  /** Objects of `count/<resource>.<group>` for resources not above; undefined if not served. */
  count(resource: string, group: string): number | undefined;
}

/** Upstream's object-count names for the core types (`pods`, `services`, …) and their count/ forms. */
const CORE_COUNTS = new Set(['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'resourcequotas']);

/**
 * Usage of every resource `hard` names (upstream CalculateUsage; names no evaluator knows are left
 * out). With scopes, only pods in every scope count, and only pod resources are tracked.
 */
export function calculateUsage(hard: readonly string[], objs: NamespaceObjects, scopes: readonly ScopeRequirement[], now: number): Record<string, string> {
  const pods = objs.pods.filter((p) => podCharges(p, now) && scopes.every((s) => podMatchesScope(p, s)));
  const used: Record<string, string> = {};
  for (const name of hard) {
    const v = usageOf(name, objs, pods, scopes.length > 0);
    if (v !== undefined) used[name] = quantityToString(v);
  }
  return used;
}

function usageOf(name: string, objs: NamespaceObjects, pods: readonly QuotaPod[], scoped: boolean): Quantity | number | undefined {
  if (name === 'pods' || name === 'count/pods') return pods.length;
  const compute = POD_COMPUTE[name];
  if (compute) return pods.reduce((sum, p) => addQuantity(sum, podResource(p, compute.from, compute.name)), ZERO);
  if (scoped) return undefined;
  const plain = name.startsWith('count/') ? name.slice('count/'.length) : name;
  if (CORE_COUNTS.has(plain)) {
    switch (plain) {
      case 'services': return objs.services.length;
      case 'configmaps': return objs.configmaps;
      case 'secrets': return objs.secrets;
      case 'persistentvolumeclaims': return objs.pvcs.length;
      default: return objs.resourcequotas;
    }
  }
  if (name === 'services.loadbalancers') return objs.services.filter((s) => s.spec?.type === 'LoadBalancer').length;
  if (name === 'services.nodeports') {
    return objs.services.filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer').reduce((n, s) => n + (s.spec?.ports?.length ?? 0), 0);
  }
  if (name === 'requests.storage') {
    return objs.pvcs.reduce((sum, c) => {
      const v = c.spec?.resources?.requests?.storage;
      return v === undefined ? sum : addQuantity(sum, v);
    }, ZERO);
  }
  if (name.startsWith('count/')) {
    const dot = plain.indexOf('.');
    return dot < 0 ? objs.count(plain, '') : objs.count(plain.slice(0, dot), plain.slice(dot + 1));
  }
  return undefined;
}
