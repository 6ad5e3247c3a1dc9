// PostFilter: preempt lower-priority pods so that a pod no node fits can run (upstream
// DefaultPreemption with the framework/preemption Evaluator). Synchronous and pure: it dry-runs
// victim selection on copies of the snapshot's NodeInfos and the cycle state, picks one node, and
// hands the victims to `handle.preempt` (the scheduler loop deletes them asynchronously). The
// preemptor itself still fails this cycle; it is nominated to the node and retried when the
// victims are gone.
//
// Not implemented: PodDisruptionBudgets (no victim counts as violating), extenders, waiting pods
// and asynchronous preemption. The dry-run offset is 0 instead of upstream's random offset.
import type { Pod } from '../../../api/index.js';
import { Diagnosis, fitErrorMessage } from '../../algorithm/fit-error.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeToStatus, PostFilterPlugin, PostFilterResult } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { Handle, PluginFactory } from '../../framework/registry.js';
import { asStatus, Code, newStatus, Status, SUCCESS } from '../../framework/status.js';
import { podPriority } from '../priority-sort/priority-sort.js';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.js';
import { NO_VICTIMS_REASON, selectVictimsOnNode } from './victims.js';

export const name = 'DefaultPreemption';

/** Upstream DefaultPreemptionArgs (defaults applied by the configuration). */
export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

/** Status of nodes preemption did not evaluate (upstream's absent-nodes status of the dry run). */
export const NOT_HELPFUL_REASON = 'Preemption is not helpful for scheduling';

/** Upstream ValidateDefaultPreemptionArgs' messages. */
export function validateArgs(a: DefaultPreemptionArgs): string[] {
  const errs: string[] = [];
  if (a.minCandidateNodesPercentage < 0 || a.minCandidateNodesPercentage > 100) {
    errs.push(`minCandidateNodesPercentage: Invalid value: ${a.minCandidateNodesPercentage}: not in valid range [0, 100]`);
  }
  if (a.minCandidateNodesAbsolute < 0) errs.push(`minCandidateNodesAbsolute: Invalid value: ${a.minCandidateNodesAbsolute}: not in valid range [0, inf)`);
  if (a.minCandidateNodesPercentage === 0 && a.minCandidateNodesAbsolute === 0) {
    errs.push('minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage');
  }
  return errs;
}

/** Upstream calculateNumCandidates: a percentage of the nodes, at least the absolute, at most all. */
export function numCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  const n = Math.max(Math.floor((numNodes * args.minCandidateNodesPercentage) / 100), args.minCandidateNodesAbsolute);
  return Math.min(n, numNodes);
}

/** Upstream podTerminatingByPreemption: being deleted after a preemption by the scheduler. */
function podTerminatingByPreemption(p: Pod): boolean {
  if (!p.metadata?.deletionTimestamp) return false;
  const c = p.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/** Upstream PodEligibleToPreemptOthers: the reason the pod may not preempt, or '' if it may. */
export function preemptionIneligibility(pod: Pod, nominatedNodeStatus: Status, handle: Handle): string {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.status?.nominatedNodeName;
  if (!nominated || nominatedNodeStatus.code === Code.UnschedulableAndUnresolvable) return '';
  const ni = handle.snapshot().get(nominated);
  const priority = podPriority(pod);
  for (const pi of ni?.pods ?? []) {
    if (podPriority(pi.pod) < priority && podTerminatingByPreemption(pi.pod)) return 'not eligible due to a terminating pod on the nominated node.';
  }
  return '';
}

const statusOf = (m: NodeToStatus, nodeName: string): Status => m.statuses.get(nodeName) ?? m.absentNodesStatus;

interface DryRun {
  candidates: Candidate[];
  /** Why each evaluated node that is not a candidate was rejected. */
  statuses: Map<string, Status>;
}

/**
 * Upstream DryRunPreemption, sequentially: walks `potential` from `offset` until `wanted`
 * candidates are found (all of them are non-violating here, so upstream's stop rule reduces to this).
 */
function dryRunPreemption(handle: Handle, state: CycleState, pod: Pod, potential: readonly NodeInfo[], offset: number, wanted: number): DryRun | Status {
  const fwk = handle.framework();
  const now = handle.now();
  const priority = podPriority(pod);
  const candidates: Candidate[] = [];
  const statuses = new Map<string, Status>();
  let noVictims: Status | undefined;
  for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
    const ni = potential[(offset + i) % potential.length]!;
    // Same outcome as selectVictimsOnNode on a node without lower-priority pods, without the copies.
    if (!ni.pods.some((pi) => podPriority(pi.pod) < priority)) {
      statuses.set(ni.name, (noVictims ??= newStatus(Code.UnschedulableAndUnresolvable, NO_VICTIMS_REASON)));
      continue;
    }
    const r = selectVictimsOnNode(fwk, state.clone(), pod, ni.clone(), now);
    let s = r.status;
    if (s.isSuccess() && r.victims.length > 0) {
      candidates.push({ nodeName: ni.name, victims: r.victims, numPDBViolations: r.numPDBViolations });
      continue;
    }
    if (s.isSuccess()) s = asStatus(`expected at least one victim pod on node "${ni.name}"`);
    if (s.code === Code.Error) return s;
    statuses.set(ni.name, s);
  }
  return { candidates, statuses };
}

export const factory: PluginFactory = (rawArgs, handle) => {
  const args = rawArgs as DefaultPreemptionArgs;
  const errs = validateArgs(args);
  if (errs.length) throw new Error(errs.join(', '));
  const prefixed = (s: Status): Status => (s.message() ? new Status(s.code, [`preemption: ${s.message()}`]) : s);
  return {
    name,
    /** Upstream Evaluator.Preempt behind DefaultPreemption.PostFilter's "preemption: " prefix. */
    postFilter(state: CycleState, pod: Pod, m: NodeToStatus): { result?: PostFilterResult; status: Status } {
      const reason = preemptionIneligibility(pod, statusOf(m, pod.status?.nominatedNodeName ?? ''), handle);
      if (reason) return { status: prefixed(newStatus(Code.Unschedulable, reason)) };
      const all = handle.snapshot().nodeInfoList;
      if (all.length === 0) return { status: asStatus('preemption: no nodes available') };
      // Only nodes a filter rejected as Unschedulable can be helped by removing pods.
      const potential = all.filter((ni) => statusOf(m, ni.name).code === Code.Unschedulable);
      const dry = potential.length === 0
        ? { candidates: [], statuses: new Map<string, Status>() }
        : dryRunPreemption(handle, state, pod, potential, 0, numCandidates(args, potential.length));
      if (dry instanceof Status) return { status: prefixed(dry) };
      const best = pickOneNodeForPreemption(dry.candidates, handle.now());
      if (!best) {
        const d = new Diagnosis();
        for (const [n, s] of dry.statuses) d.statuses.set(n, s);
        d.absentNodesStatus = newStatus(Code.UnschedulableAndUnresolvable, NOT_HELPFUL_REASON);
        // An empty nominated node name clears a previous nomination.
        return { result: { nominatedNodeName: '' }, status: prefixed(newStatus(Code.Unschedulable, fitErrorMessage(all.length, d))) };
      }
      handle.preempt?.(pod, best.nodeName, best.victims);
      return { result: { nominatedNodeName: best.nodeName }, status: SUCCESS };
    },
  } satisfies PostFilterPlugin;
};
