// Filter + PreScore + Score (upstream TaintToleration): NoSchedule/NoExecute taints must be
// tolerated; PreferNoSchedule taints not tolerated count against a node (fewer is better).
import type { Pod, Taint } from '../../../api/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FilterPlugin, type PreScorePlugin, type ScoreExtensions, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { FLAG_HAS_NODE, FLAG_HAS_TAINTS, FLAGS, ROW_STRIDE } from '../../framework/node-table.js';
import type { PluginFactory } from '../../framework/registry.js';
import { Code, Status, SUCCESS } from '../../framework/status.js';
import { defaultNormalizeScore } from '../helper/normalize.js';
import { doNotScheduleTaints, findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '../helper/taints.js';
import type { Toleration } from '../helper/types.js';

export const name = 'TaintToleration';
const PRE_SCORE_KEY = `PreScore${name}`;

class ScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: readonly Toleration[]) {}
  clone(): StateData { return this; }
}

/** Tolerations that can match PreferNoSchedule taints (that effect, or any effect). */
function preferNoScheduleTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/** The snapshot table says the node has no taints (see node-table.ts); false when unknown. */
function untainted(ni: NodeInfo): boolean {
  const t = ni.table;
  if (t === undefined) return false;
  return (t.data[ni.row * ROW_STRIDE + FLAGS]! & (FLAG_HAS_NODE | FLAG_HAS_TAINTS)) === FLAG_HAS_NODE;
}

/** Number of PreferNoSchedule taints on the node not tolerated (upstream countIntolerableTaintsPreferNoSchedule). */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[]): number {
  let n = 0;
  for (const t of taints ?? []) {
    if (t.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, t)) n++;
  }
  return n;
}

const normalize: ScoreExtensions = {
  normalizeScore(_state: CycleState, _pod: Pod, scores: number[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return SUCCESS;
  },
};

export const factory: PluginFactory = () => ({
  name,
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (untainted(nodeInfo)) return SUCCESS;
    const taint = findMatchingUntoleratedTaint(nodeInfo.node?.spec?.taints, pod.spec?.tolerations, doNotScheduleTaints);
    if (!taint) return SUCCESS;
    return new Status(Code.UnschedulableAndUnresolvable, [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], name);
  },
  preScore(state: CycleState, pod: Pod): Status {
    state.write(PRE_SCORE_KEY, new ScoreState(preferNoScheduleTolerations(pod.spec?.tolerations)));
    return SUCCESS;
  },
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    if (untainted(nodeInfo)) return 0;
    const s = state.read<ScoreState>(PRE_SCORE_KEY);
    const tolerations = s ? s.tolerationsPreferNoSchedule : preferNoScheduleTolerations(pod.spec?.tolerations);
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.node?.spec?.taints, tolerations);
  },
  scoreExtensions: () => normalize,
}) satisfies FilterPlugin & PreScorePlugin & ScorePlugin;
