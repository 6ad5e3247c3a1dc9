// PreFilter + Filter + PreScore + Score (upstream InterPodAffinity): required pod affinity and
// anti-affinity of the incoming pod, and existing pods' required anti-affinity against it, filter
// nodes by topology domain; preferred terms (and existing pods' required affinity, weighted by
// hardPodAffinityWeight) score them.
import type { Pod } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import {
  MAX_NODE_SCORE,
  type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScoreExtensions, type ScorePlugin,
} from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { Handle, PluginFactory } from '../../framework/registry.js';
import type { Snapshot } from '../../framework/snapshot.js';
import { Code, SKIP, Status, SUCCESS } from '../../framework/status.js';
import { PreFilterState } from './filtering.js';
import { countingExtensions } from '../helper/counting-extensions.js';
import { PreScoreState } from './scoring.js';
import { affinityOf, type NamespaceLabelsFunc } from './terms.js';

export const name = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
const PRE_FILTER_KEY = `PreFilter${name}`;
const PRE_SCORE_KEY = `PreScore${name}`;

/** InterPodAffinityArgs, plus the injectable namespace-labels lookup (not part of the file format). */
export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
  /**
   * Labels of a namespace, for terms with a namespaceSelector. Default: no labels known, so only
   * an empty namespaceSelector (`{}`, all namespaces) and the term's `namespaces` list select.
   */
  namespaceLabels?: NamespaceLabelsFunc;
}

const NO_NAMESPACE_LABELS: NamespaceLabelsFunc = () => undefined;

const REJECTED_AFFINITY = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_AFFINITY_RULES_NOT_MATCH], name);
const REJECTED_ANTI_AFFINITY = new Status(Code.Unschedulable, [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH], name);
const REJECTED_EXISTING_ANTI_AFFINITY = new Status(Code.Unschedulable, [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH], name);

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export const factory: PluginFactory = (rawArgs, handle) => {
  const args = (rawArgs ?? {}) as InterPodAffinityArgs;
  const opts = {
    hardPodAffinityWeight: args.hardPodAffinityWeight ?? 1,
    ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false,
  };
  const lookup = args.namespaceLabels ?? NO_NAMESPACE_LABELS;

  const extensions = countingExtensions(PRE_FILTER_KEY);

  const normalize: ScoreExtensions = {
    normalizeScore(state: CycleState, _pod: Pod, scores: number[]): Status {
      state.read<PreScoreState>(PRE_SCORE_KEY)?.normalize(scores, MAX_NODE_SCORE);
      return SUCCESS;
    },
  };

  return {
    name,
    preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      const a = affinityOf(pod);
      const own = a.requiredAffinity.length > 0 || a.requiredAntiAffinity.length > 0;
      // From `nodes` rather than the snapshot's list: PreFilter may run outside a cycle (tests,
      // preemption). In a cycle `nodes` is the snapshot's list, whose filtered twin is kept ready.
      const snapshot = own ? undefined : cycleSnapshot(handle);
      const withAnti = own ? nodes
        : snapshot && snapshot.nodeInfoList === nodes ? snapshot.havePodsWithRequiredAntiAffinityNodeInfoList
          : nodes.filter((ni) => ni.podsWithRequiredAntiAffinity.length > 0);
      if (!own && withAnti.length === 0) return SKIP;
      state.write(PRE_FILTER_KEY, PreFilterState.compute(pod, lookup, nodes, withAnti));
      return SUCCESS;
    },
    preFilterExtensions: () => extensions,
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return new Status(Code.Error, [`reading "${PRE_FILTER_KEY}" from cycleState: not found`]);
      const labels = nodeInfo.node?.metadata?.labels ?? NO_LABELS;
      if (!s.satisfiesPodAffinity(pod, labels)) return REJECTED_AFFINITY;
      if (!s.satisfiesPodAntiAffinity(labels)) return REJECTED_ANTI_AFFINITY;
      if (!s.satisfiesExistingPodsAntiAffinity(labels)) return REJECTED_EXISTING_ANTI_AFFINITY;
      return SUCCESS;
    },
    preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      if (nodes.length === 0) return SKIP;
      const a = affinityOf(pod);
      const own = a.preferredAffinity.length > 0 || a.preferredAntiAffinity.length > 0;
      if (opts.ignorePreferredTermsOfExistingPods && !own) return SKIP;
      const snapshot = handle.snapshot();
      const s = PreScoreState.compute(pod, lookup, opts, snapshot.nodeInfoList, snapshot.havePodsWithAffinityNodeInfoList);
      if (s.topologyScore.size === 0) return SKIP;
      state.write(PRE_SCORE_KEY, s);
      return SUCCESS;
    },
    score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return new Status(Code.Error, [`reading "${PRE_SCORE_KEY}" from cycleState: not found`]);
      return s.score(nodeInfo);
    },
    scoreExtensions: () => normalize,
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
};

/** The snapshot of the cycle in progress, or undefined when PreFilter runs outside a cycle. */
function cycleSnapshot(handle: Handle): Snapshot | undefined {
  try {
    return handle.snapshot();
  } catch {
    return undefined;
  }
}
