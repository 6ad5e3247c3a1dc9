// The "no node fits" outcome and its FailedScheduling message (upstream framework.FitError and
// Diagnosis). The wording, counting and sorting match upstream exactly because users and tools
// grep for it: `0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu.`
import type { Pod } from '../../api/index.js';
import type { NodeToStatus } from '../framework/interfaces.js';
import { Code, Status } from '../framework/status.js';

/** Why no node fit (upstream Diagnosis). */
export class Diagnosis implements NodeToStatus {
  readonly statuses = new Map<string, Status>();
  /** Status of nodes absent from `statuses` (not evaluated by Filter). */
  absentNodesStatus: Status = new Status(Code.UnschedulableAndUnresolvable);
  /** Plugins that rejected the pod (for requeueing on relevant cluster events). */
  readonly unschedulablePlugins = new Set<string>();
  /** Plugins that returned Pending. */
  readonly pendingPlugins = new Set<string>();
  /** Message of a PreFilter rejection; when set, per-node reasons are not repeated. */
  preFilterMsg = '';
  /** Message of PostFilter (preemption), appended by the scheduler loop after PostFilter runs. */
  postFilterMsg = '';
}

export class FitError extends Error {
  override name = 'FitError';

  constructor(readonly pod: Pod, readonly numAllNodes: number, readonly diagnosis: Diagnosis) {
    super();
  }

  /** Upstream FitError.Error(). */
  override get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/** `0/N nodes are available: <reasons>.[ <postfilter>.]` with reasons counted and sorted as strings. */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const s of d.statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const absent = numAllNodes - d.statuses.size;
    if (absent > 0) for (const r of d.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort(compareGoStrings);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}

/** Byte-wise comparison, as Go's sort.Strings. */
function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Upstream ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
