// The extension points (upstream pkg/scheduler/framework/interface.go). Each is one small interface;
// a plugin object implements any subset and is checked with `satisfies FilterPlugin` etc. The
// framework discovers what a plugin implements by its methods, as upstream does by interface.
//
// Calling contracts: everything up to Permit is synchronous and pure (it runs inside one scheduling
// cycle over a Snapshot); PreBind/Bind may do I/O and are async. Filter and Score run once per
// node on the hot path: they must not allocate beyond their result and must not mutate the pod,
// the NodeInfo or the cycle state (other than through their own pre-computed state).
import type { Pod } from '../../api/index.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Status } from './status.js';

/** Highest score a Score plugin may return after normalization (upstream MaxNodeScore). */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;
/** Largest total score (upstream MaxTotalScore). */
export const MAX_TOTAL_SCORE = Number.MAX_SAFE_INTEGER;

export interface Plugin {
  /** The registry name, e.g. `NodeResourcesFit`. */
  readonly name: string;
}

/** A pod as the scheduling queue holds it (upstream QueuedPodInfo). */
export interface QueuedPodInfo {
  pod: Pod;
  /** When the pod was added to (or last moved within) the queue, from the injected clock (ms). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the pod was first added to the queue (ms). */
  initialAttemptTimestamp?: number;
  /** Plugins that rejected the pod in its last attempt (used to requeue on relevant events). */
  unschedulablePlugins?: Set<string>;
}

/** Gate before the pod enters the active queue (e.g. SchedulingGates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

/** Orders the active queue. Exactly one per profile. */
export interface QueueSortPlugin extends Plugin {
  /** True if `a` should be scheduled before `b`. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/**
 * A PreFilter plugin may narrow the candidate nodes (upstream PreFilterResult). Results of several
 * plugins are intersected; `undefined` node names would mean "all nodes", so use a plain Status
 * for that.
 */
export class PreFilterResult {
  constructor(readonly nodeNames: ReadonlySet<string>) {}

  /** Intersection with another result (`undefined` = all nodes). */
  merge(other: PreFilterResult | undefined): PreFilterResult {
    if (!other) return this;
    const out = new Set<string>();
    for (const n of this.nodeNames) if (other.nodeNames.has(n)) out.add(n);
    return new PreFilterResult(out);
  }
}

/**
 * Incremental updates of a PreFilter plugin's state when preemption adds or removes a pod on a
 * node in a what-if evaluation. Must be exact inverses of each other.
 */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  /**
   * Runs once per cycle before Filter. Returns a Status (Skip: do not run my Filter for this pod;
   * a rejection ends the cycle with this message) or a PreFilterResult (success, only these nodes).
   */
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | PreFilterResult;
  /** AddPod/RemovePod for preemption, if the plugin's state depends on other pods. */
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  /** Whether the pod fits `nodeInfo`. Success, Unschedulable, UnschedulableAndUnresolvable or Error. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

/** Per-node filter outcomes of a failed cycle (upstream NodeToStatus). */
export interface NodeToStatus {
  /** Statuses of the nodes Filter rejected, by node name. */
  readonly statuses: ReadonlyMap<string, Status>;
  /** Status of the nodes not in `statuses` (rejected before Filter: PreFilter or its result). */
  readonly absentNodesStatus: Status;
}

export interface PostFilterResult {
  /** Node the pod was nominated to (after preemption). */
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  /** Runs when no node fits (e.g. preemption). Success means the pod may fit later on the result's node. */
  postFilter(state: CycleState, pod: Pod, filteredNodeStatus: NodeToStatus): { result?: PostFilterResult; status: Status };
}

export interface PreScorePlugin extends Plugin {
  /** Runs once per cycle over the feasible nodes; Skip means "do not call my Score". */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface ScoreExtensions {
  /**
   * Rewrites `scores` (parallel to `nodes`) into [0, MAX_NODE_SCORE] in place. Called once per
   * cycle after all Score calls of this plugin.
   */
  normalizeScore(state: CycleState, pod: Pod, scores: number[], nodes: readonly NodeInfo[]): Status;
}

export interface ScorePlugin extends Plugin {
  /** The node's raw score (an integer), or an Error status. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  scoreExtensions?(): ScoreExtensions | undefined;
}

export interface ReservePlugin extends Plugin {
  /** Claims per-node resources for the pod before binding; a failure triggers Unreserve of all. */
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  /** Undoes reserve; must be idempotent and may be called without a prior reserve. */
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, a rejection, or Wait with a timeout (ms) after which the pod is rejected. */
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  /** Binds the pod; Skip hands it to the next Bind plugin. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  /** Informational, after a successful bind. */
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

const has = (p: Plugin, m: string): boolean => typeof (p as unknown as Record<string, unknown>)[m] === 'function';

export const isPreEnqueuePlugin = (p: Plugin): p is PreEnqueuePlugin => has(p, 'preEnqueue');
export const isQueueSortPlugin = (p: Plugin): p is QueueSortPlugin => has(p, 'less');
export const isPreFilterPlugin = (p: Plugin): p is PreFilterPlugin => has(p, 'preFilter');
export const isFilterPlugin = (p: Plugin): p is FilterPlugin => has(p, 'filter');
export const isPostFilterPlugin = (p: Plugin): p is PostFilterPlugin => has(p, 'postFilter');
export const isPreScorePlugin = (p: Plugin): p is PreScorePlugin => has(p, 'preScore');
export const isScorePlugin = (p: Plugin): p is ScorePlugin => has(p, 'score');
export const isReservePlugin = (p: Plugin): p is ReservePlugin => has(p, 'reserve');
export const isPermitPlugin = (p: Plugin): p is PermitPlugin => has(p, 'permit');
export const isPreBindPlugin = (p: Plugin): p is PreBindPlugin => has(p, 'preBind');
export const isBindPlugin = (p: Plugin): p is BindPlugin => has(p, 'bind');
export const isPostBindPlugin = (p: Plugin): p is PostBindPlugin => has(p, 'postBind');
