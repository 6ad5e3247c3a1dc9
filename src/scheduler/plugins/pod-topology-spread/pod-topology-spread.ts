// PreFilter + Filter + PreScore + Score (upstream PodTopologySpread): DoNotSchedule constraints
// reject nodes whose domain would exceed maxSkew; ScheduleAnyway constraints (and the default
// constraints for pods without any) prefer nodes in domains with fewer matching pods.
import { matchesLabels, type Pod } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import {
  MAX_NODE_SCORE,
  type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScoreExtensions, type ScorePlugin,
} from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PluginFactory } from '../../framework/registry.js';
import { Code, SKIP, Status, SUCCESS } from '../../framework/status.js';
import {
  defaultConstraints, nodeLabels, ownerDerivedSelector, podConstraints, SYSTEM_DEFAULT_CONSTRAINTS,
  type Constraint, type DefaultConstraint, type DefaultSelectorFunc, type WhenUnsatisfiable,
} from './constraints.js';
import { PreFilterState } from './filtering.js';
import { countingExtensions } from '../helper/counting-extensions.js';
import { PreScoreState } from './scoring.js';

export const name = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const PRE_FILTER_KEY = `PreFilter${name}`;
const PRE_SCORE_KEY = `PreScore${name}`;

/** PodTopologySpreadArgs, plus the injectable owner-selector lookup (not part of the file format). */
export interface PodTopologySpreadArgs {
  defaultConstraints?: DefaultConstraint[];
  /** System (default): SYSTEM_DEFAULT_CONSTRAINTS; List: `defaultConstraints`. */
  defaultingType?: 'System' | 'List';
  /**
   * Selector of the Services/ReplicaSets/StatefulSets selecting a pod, for default constraints.
   * Default: `ownerDerivedSelector` (the pod's labels when a workload controller owns it).
   */
  defaultSelector?: DefaultSelectorFunc;
}

const REJECTED_MISSING_LABEL = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_NODE_LABEL_NOT_MATCH], name);
const REJECTED_SKEW = new Status(Code.Unschedulable, [ERR_REASON_CONSTRAINTS_NOT_MATCH], name);

export const factory: PluginFactory = (rawArgs, handle) => {
  const args = (rawArgs ?? {}) as PodTopologySpreadArgs;
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults: readonly DefaultConstraint[] = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints ?? [];
  const selectorOf = args.defaultSelector ?? ownerDerivedSelector;

  /** The pod's own constraints for `action`, or the defaults when it declares none at all. */
  const constraintsFor = (pod: Pod, action: WhenUnsatisfiable): Constraint[] => {
    if ((pod.spec?.topologySpreadConstraints?.length ?? 0) > 0) return podConstraints(pod, action);
    return defaultConstraints(pod, defaults, action, selectorOf);
  };

  const extensions = countingExtensions(PRE_FILTER_KEY);

  const normalize: ScoreExtensions = {
    normalizeScore(state: CycleState, _pod: Pod, scores: number[], nodes: readonly NodeInfo[]): Status {
      state.read<PreScoreState>(PRE_SCORE_KEY)?.normalize(scores, nodes, MAX_NODE_SCORE);
      return SUCCESS;
    },
  };

  return {
    name,
    preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      const constraints = constraintsFor(pod, 'DoNotSchedule');
      if (constraints.length === 0) return SKIP;
      state.write(PRE_FILTER_KEY, PreFilterState.compute(pod, constraints, nodes));
      return SUCCESS;
    },
    preFilterExtensions: () => extensions,
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return new Status(Code.Error, [`reading "${PRE_FILTER_KEY}" from cycleState: not found`]);
      const labels = nodeLabels(nodeInfo.node);
      const podLabels = pod.metadata?.labels;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        if (!Object.hasOwn(labels, c.topologyKey)) return REJECTED_MISSING_LABEL;
        const self = matchesLabels(c.selector, podLabels) ? 1 : 0;
        const count = s.counts[i]!.get(labels[c.topologyKey]!) ?? 0;
        if (count + self - s.minMatchNum(i) > c.maxSkew) return REJECTED_SKEW;
      }
      return SUCCESS;
    },
    preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      if (nodes.length === 0) return SKIP;
      const own = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
      const constraints = constraintsFor(pod, 'ScheduleAnyway');
      if (constraints.length === 0) return SKIP;
      const requireAll = own || !systemDefaulted;
      state.write(PRE_SCORE_KEY, PreScoreState.compute(pod, constraints, nodes, handle.snapshot().nodeInfoList, requireAll));
      return SUCCESS;
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return new Status(Code.Error, [`reading "${PRE_SCORE_KEY}" from cycleState: not found`]);
      return s.score(pod, nodeInfo);
    },
    scoreExtensions: () => normalize,
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
};
