// Scoring strategies of NodeResourcesFit (upstream least_allocated.go, most_allocated.go,
// requested_to_capacity_ratio.go), integer arithmetic as upstream.
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import type { ResourceScorer, ResourceSpec } from '../helper/resource-allocation.js';

/** Largest score of a RequestedToCapacityRatio shape point (upstream MaxCustomPriorityScore). */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * MAX_NODE_SCORE) / capacity);
}

function weighted(resources: readonly ResourceSpec[], f: (req: number, cap: number) => number): ResourceScorer {
  return (requested, allocatable) => {
    let score = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      score += f(requested[i]!, allocatable[i]!) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
  };
}

/** Favors nodes with the most free capacity (the default). */
export const leastAllocatedScorer = (resources: readonly ResourceSpec[]): ResourceScorer => weighted(resources, leastRequestedScore);

/** Favors the fullest nodes (bin packing). */
export const mostAllocatedScorer = (resources: readonly ResourceSpec[]): ResourceScorer => weighted(resources, mostRequestedScore);

/** Upstream BuildBrokenLinearFunction over points sorted by utilization. */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

/** Score follows the configured utilization → score shape (scores 0–10 scaled to 0–100). */
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  const raw = brokenLinearFunction(scaled);
  const resourceScore = (requested: number, capacity: number): number =>
    capacity === 0 || requested > capacity ? raw(MAX_UTILIZATION) : raw(Math.trunc((requested * MAX_UTILIZATION) / capacity));
  return (requested, allocatable) => {
    let score = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      const s = resourceScore(requested[i]!, allocatable[i]!);
      if (s > 0) {
        score += s * w;
        weightSum += w;
      }
    }
    return weightSum === 0 ? 0 : roundHalfAwayFromZero(score / weightSum);
  };
}

/** Go's math.Round. */
function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
