// PreFilter + Filter + PreScore + Score (upstream NodeResourcesFit): the pod's requests must fit
// the node's allocatable minus what its pods request; scoring by the configured strategy.
import type { Pod } from '../../../api/index.js';
import { stateReader, type CycleState, type StateData } from '../../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { ALLOC_EPHEMERAL, ALLOC_MEMORY, ALLOC_MILLI_CPU, ALLOWED_PODS, POD_COUNT, REQ_EPHEMERAL, REQ_MEMORY, REQ_MILLI_CPU, ROW_STRIDE } from '../../framework/node-table.js';
import type { PluginFactory } from '../../framework/registry.js';
import { computePodResourceRequest, type Resource } from '../../framework/resource.js';
import { asStatus, Code, Status, SUCCESS } from '../../framework/status.js';
import { ResourceAllocationScorer, type ResourceSpec } from '../helper/resource-allocation.js';
import { leastAllocatedScorer, mostAllocatedScorer, requestedToCapacityRatioScorer, type UtilizationShapePoint } from './scorers.js';

export const name = 'NodeResourcesFit';
const PRE_FILTER_KEY = `PreFilter${name}`;
const PRE_SCORE_KEY = `PreScore${name}`;

/** NodeResourcesFitArgs (defaulted by the configuration). */
export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape?: UtilizationShapePoint[] };
  };
}

/** One resource the node lacks (upstream InsufficientResource). */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The pod's request exceeds the node's allocatable: preemption cannot help. */
  unresolvable: boolean;
}

class RequestState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): StateData { return this; }
}

class ScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData { return this; }
}

/**
 * Upstream fitsRequest: the pod count, then cpu, memory, ephemeral-storage and scalar resources
 * (ignored extended resources skipped). Returns what is missing; empty means it fits.
 */
export function fitsRequest(req: Resource, ni: NodeInfo, ignored?: ReadonlySet<string>, ignoredGroups?: ReadonlySet<string>): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (ni.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: ni.pods.length, capacity: alloc.allowedPodNumber, unresolvable: false });
  }
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !req.scalarResources?.size) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU, unresolvable: req.milliCPU > alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory, unresolvable: req.memory > alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({ resourceName: 'ephemeral-storage', reason: 'Insufficient ephemeral-storage', requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage, unresolvable: req.ephemeralStorage > alloc.ephemeralStorage });
  }
  if (req.scalarResources) {
    for (const [rName, q] of req.scalarResources) {
      if (q === 0) continue;
      if (isExtendedResourceName(rName) && (ignored?.has(rName) || ignoredGroups?.has(rName.split('/')[0]!))) continue;
      const a = alloc.scalar(rName);
      if (q > a - used.scalar(rName)) {
        out.push({ resourceName: rName, reason: `Insufficient ${rName}`, requested: q, used: used.scalar(rName), capacity: a, unresolvable: q > a });
      }
    }
  }
  return out;
}

/**
 * Allocation-free check used on the hot path; fitsRequest explains a failure. Reads the node's
 * row of the snapshot table when it has one (the same numbers, see node-table.ts).
 */
function fitsQuickly(req: Resource, ni: NodeInfo): boolean {
  if (req.scalarResources) return false;
  const t = ni.table;
  if (t !== undefined) {
    const d = t.data;
    const o = ni.row * ROW_STRIDE;
    if (d[o + POD_COUNT]! + 1 > d[o + ALLOWED_PODS]!) return false;
    if (req.milliCPU > 0 && req.milliCPU > d[o + ALLOC_MILLI_CPU]! - d[o + REQ_MILLI_CPU]!) return false;
    if (req.memory > 0 && req.memory > d[o + ALLOC_MEMORY]! - d[o + REQ_MEMORY]!) return false;
    return !(req.ephemeralStorage > 0 && req.ephemeralStorage > d[o + ALLOC_EPHEMERAL]! - d[o + REQ_EPHEMERAL]!);
  }
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (ni.pods.length + 1 > alloc.allowedPodNumber) return false;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) return false;
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) return false;
  return !(req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage);
}

/** Upstream IsExtendedResourceName: domain-prefixed, not kubernetes.io, not requests.*. */
function isExtendedResourceName(n: string): boolean {
  return n.includes('/') && !n.includes('kubernetes.io/') && !n.startsWith('requests.');
}

/** The pod's requests, as NodeResourcesFit sees them (exported for unit tests and preemption). */
export function podResourceRequest(pod: Pod): Resource {
  return computePodResourceRequest(pod);
}

export const factory: PluginFactory = (rawArgs) => {
  const args = (rawArgs ?? {}) as NodeResourcesFitArgs;
  const strategy = args.scoringStrategy ?? {};
  const resources = strategy.resources ?? [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const type = strategy.type ?? 'LeastAllocated';
  let scorerFn;
  switch (type) {
    case 'LeastAllocated': scorerFn = leastAllocatedScorer(resources); break;
    case 'MostAllocated': scorerFn = mostAllocatedScorer(resources); break;
    case 'RequestedToCapacityRatio': scorerFn = requestedToCapacityRatioScorer(resources, strategy.requestedToCapacityRatio?.shape ?? []); break;
    default: throw new Error(`scoring strategy ${String(type)} is not supported`);
  }
  const scorer = new ResourceAllocationScorer(resources, scorerFn, false);
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
  // Filter and Score run once per node with the same cycle state (a what-if clone of the state is
  // a different object and is read afresh).
  const readRequest = stateReader<RequestState>(PRE_FILTER_KEY);
  const readScore = stateReader<ScoreState>(PRE_SCORE_KEY);

  return {
    name,
    preFilter(state: CycleState, pod: Pod): Status {
      state.write(PRE_FILTER_KEY, new RequestState(computePodResourceRequest(pod)));
      return SUCCESS;
    },
    filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
      const s = readRequest(state);
      if (!s) return asStatus(`error reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      if (fitsQuickly(s.request, nodeInfo)) return SUCCESS;
      const missing = fitsRequest(s.request, nodeInfo, ignored, ignoredGroups);
      if (missing.length === 0) return SUCCESS;
      let code = Code.Unschedulable;
      const reasons: string[] = [];
      for (const m of missing) {
        reasons.push(m.reason);
        if (m.unresolvable) code = Code.UnschedulableAndUnresolvable;
      }
      return new Status(code, reasons, name);
    },
    preScore(state: CycleState, pod: Pod): Status {
      state.write(PRE_SCORE_KEY, new ScoreState(scorer.podRequests(pod)));
      return SUCCESS;
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      let s = readScore(state);
      if (!s) state.write(PRE_SCORE_KEY, (s = new ScoreState(scorer.podRequests(pod))));
      return scorer.score(nodeInfo, s.podRequests);
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
};
