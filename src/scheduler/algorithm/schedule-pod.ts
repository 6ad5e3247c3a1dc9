// One scheduling decision (upstream schedulePod / findNodesThatFitPod / prioritizeNodes): a pure
// function of the framework, the cycle state and a snapshot. The caller (the scheduler loop) owns
// the round-robin start index and feeds back `nextStartNodeIndex` on the next call.
import type { Pod } from '../../api/index.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { Framework } from '../framework/framework.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { Snapshot } from '../framework/snapshot.js';
import { Code, Status } from '../framework/status.js';
import { Diagnosis, FitError, NO_NODES_AVAILABLE } from './fit-error.js';
import { numFeasibleNodesToFind } from './num-feasible.js';
import { defaultRandomInt, selectHost, type RandomInt } from './select-host.js';

export interface ScheduleOptions {
  /** The profile's percentageOfNodesToScore (0/undefined = adaptive). Defaults to the framework's. */
  percentageOfNodesToScore?: number;
  /** Where the filter walk starts in the node list (round robin across cycles). */
  nextStartNodeIndex?: number;
  random?: RandomInt;
}

export interface ScheduleResult {
  suggestedHost: string;
  /** Nodes Filter ran on (feasible + rejected). */
  evaluatedNodes: number;
  feasibleNodes: number;
  /** Start index for the next cycle. */
  nextStartNodeIndex: number;
}

/** An internal error (a plugin returned Error); the pod is retried with backoff. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
  constructor(message: string, readonly status?: Status) {
    super(message);
  }
}

/**
 * Finds the node for `pod`. Throws FitError when no node fits (its message is the
 * FailedScheduling event text), ScheduleError for plugin errors or an empty cluster.
 */
export function schedulePod(fwk: Framework, state: CycleState, snapshot: Snapshot, pod: Pod, opts: ScheduleOptions = {}): ScheduleResult {
  const all = snapshot.nodeInfoList;
  if (all.length === 0) throw new ScheduleError(NO_NODES_AVAILABLE);
  fwk.setSnapshot(snapshot);
  const start = opts.nextStartNodeIndex ?? 0;
  const { feasible, diagnosis, nextStartNodeIndex } = findNodesThatFitPod(fwk, state, snapshot, pod, start, opts.percentageOfNodesToScore ?? fwk.percentageOfNodesToScore);
  if (feasible.length === 0) throw new FitError(pod, all.length, diagnosis);
  const evaluatedNodes = feasible.length + diagnosis.statuses.size;
  if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes, feasibleNodes: 1, nextStartNodeIndex };
  const totals = prioritizeNodes(fwk, state, pod, feasible);
  const chosen = selectHost(totals, opts.random ?? defaultRandomInt);
  return { suggestedHost: feasible[chosen]!.name, evaluatedNodes, feasibleNodes: feasible.length, nextStartNodeIndex };
}

interface FitResult {
  feasible: NodeInfo[];
  diagnosis: Diagnosis;
  nextStartNodeIndex: number;
  /** Nodes Filter ran on (or were taken without filters). */
  processed: number;
}

/** Upstream findNodesThatFitPod: PreFilter, the nominated node shortcut, then Filter. */
export function findNodesThatFitPod(fwk: Framework, state: CycleState, snapshot: Snapshot, pod: Pod, start: number, percentage: number | undefined): FitResult {
  const diagnosis = new Diagnosis();
  const all = snapshot.nodeInfoList;
  const pre = fwk.runPreFilterPlugins(state, pod, all);
  if (!pre.status.isSuccess()) {
    if (!pre.status.isRejected()) throw new ScheduleError(pre.status.message(), pre.status);
    diagnosis.absentNodesStatus = pre.status;
    diagnosis.preFilterMsg = pre.status.message();
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    for (const name of pre.narrowingPlugins) diagnosis.unschedulablePlugins.add(name);
    return { feasible: [], diagnosis, nextStartNodeIndex: start, processed: 0 };
  }

  // A pod nominated by preemption tries its nominated node first (upstream evaluateNominatedNode).
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    const ni = snapshot.get(nominated);
    if (ni && (!pre.nodeNames || pre.nodeNames.has(nominated))) {
      const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
      if (s.code === Code.Error) throw new ScheduleError(s.message(), s);
      if (s.isSuccess()) return { feasible: [ni], diagnosis, nextStartNodeIndex: start, processed: 1 };
    }
  }

  let nodes: readonly NodeInfo[] = all;
  if (pre.nodeNames) {
    const narrowed: NodeInfo[] = [];
    for (const name of pre.nodeNames) {
      const ni = snapshot.get(name);
      if (ni) narrowed.push(ni);
    }
    nodes = narrowed;
    diagnosis.absentNodesStatus = new Status(Code.UnschedulableAndUnresolvable, [`node(s) didn't satisfy plugin(s) [${[...pre.narrowingPlugins].sort().join(' ')}]`]);
  }
  const fit = findNodesThatPassFilters(fwk, state, pod, nodes, diagnosis, start, percentage);
  // Upstream advances the start index over the whole node list, even when PreFilter narrowed it.
  fit.nextStartNodeIndex = (start + fit.processed) % all.length;
  return fit;
}

/**
 * Upstream findNodesThatPassFilters, sequentially: walk the nodes from `start` (mod n) until
 * numFeasibleNodesToFind feasible nodes are found or every node was tried.
 */
function findNodesThatPassFilters(fwk: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], diagnosis: Diagnosis, start: number, percentage: number | undefined): FitResult {
  const n = nodes.length;
  if (n === 0) return { feasible: [], diagnosis, nextStartNodeIndex: start, processed: 0 };
  const want = numFeasibleNodesToFind(percentage, n);
  const feasible: NodeInfo[] = [];
  const offset = start % n;
  if (!fwk.hasFilterPlugins()) {
    for (let i = 0; i < want; i++) feasible.push(nodes[(offset + i) % n]!);
    return { feasible, diagnosis, nextStartNodeIndex: (offset + want) % n, processed: want };
  }
  let processed = 0;
  for (let i = 0; i < n && feasible.length < want; i++) {
    const ni = nodes[(offset + i) % n]!;
    processed++;
    const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
    if (s.code === Code.Success) {
      feasible.push(ni);
    } else if (s.code === Code.Error) {
      throw new ScheduleError(s.message(), s);
    } else {
      diagnosis.statuses.set(ni.name, s);
      if (s.code === Code.Pending) diagnosis.pendingPlugins.add(s.plugin);
      else diagnosis.unschedulablePlugins.add(s.plugin);
    }
  }
  return { feasible, diagnosis, nextStartNodeIndex: (offset + processed) % n, processed };
}

/**
 * Upstream prioritizeNodes: PreScore + Score. Without score plugins every node scores 1.
 * Returns totals parallel to `nodes`, in an array the framework reuses on its next cycle.
 */
export function prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): number[] {
  if (!fwk.hasScorePlugins()) return new Array<number>(nodes.length).fill(1);
  const pre = fwk.runPreScorePlugins(state, pod, nodes);
  if (!pre.isSuccess()) throw new ScheduleError(pre.message(), pre);
  const out = fwk.runScorePluginsTotals(state, pod, nodes);
  if (out instanceof Status) throw new ScheduleError(out.message(), out);
  return out;
}
