// PreScore + Score (upstream NodeResourcesBalancedAllocation): favors nodes whose resource
// fractions (requested/allocatable, with the pod) are close to each other: 100 × (1 − std).
import type { Pod } from '../../../api/index.js';
import { stateReader, type CycleState, type StateData } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PluginFactory } from '../../framework/registry.js';
import { SKIP, Status, SUCCESS } from '../../framework/status.js';
import { ResourceAllocationScorer, type ResourceSpec } from '../helper/resource-allocation.js';

export const name = 'NodeResourcesBalancedAllocation';
const PRE_SCORE_KEY = `PreScore${name}`;

class ScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData { return this; }
}

/** Upstream balancedResourceScorer (fractions capped at 1; std of two is |a−b|/2). */
export function balancedResourceScorer(requested: readonly number[], allocatable: readonly number[]): number {
  let total = 0;
  let count = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    total += f;
    if (count === 0) f0 = f;
    else if (count === 1) f1 = f;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i]! / allocatable[i]!, 1);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const factory: PluginFactory = (rawArgs) => {
  const args = (rawArgs ?? {}) as { resources?: ResourceSpec[] };
  const resources = args.resources?.length ? args.resources : [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const scorer = new ResourceAllocationScorer(resources, balancedResourceScorer, true);
  const readScore = stateReader<ScoreState>(PRE_SCORE_KEY);
  return {
    name,
    /** Skips best-effort pods (nothing requested of the configured resources), as upstream. */
    preScore(state: CycleState, pod: Pod): Status {
      const req = scorer.podRequests(pod);
      if (req.every((v) => v === 0)) return SKIP;
      state.write(PRE_SCORE_KEY, new ScoreState(req));
      return SUCCESS;
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      let s = readScore(state);
      if (!s) state.write(PRE_SCORE_KEY, (s = new ScoreState(scorer.podRequests(pod))));
      return scorer.score(nodeInfo, s.podRequests);
    },
  } satisfies PreScorePlugin & ScorePlugin;
};
