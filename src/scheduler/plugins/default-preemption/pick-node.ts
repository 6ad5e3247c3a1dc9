// Choosing among preemption candidates (upstream pickOneNodeForPreemption with the default
// ordered score functions). Each rule keeps only the candidates with the best score; the first
// rule leaving one candidate decides, and remaining ties go to the earliest candidate.
import type { Pod } from '../../../api/index.js';
import { podPriority } from '../priority-sort/priority-sort.js';
import { podStartTime } from './victims.js';

/** A node where the preemptor fits once `victims` (most important first) are gone. */
export interface Candidate {
  nodeName: string;
  victims: Pod[];
  numPDBViolations: number;
}

/** Upstream adds MaxInt32+1 to each priority so that more victims always sum higher. */
const PRIORITY_OFFSET = 2147483648;

/**
 * Upstream GetEarliestPodStartTime: the earliest start among the victims of the highest
 * priority; -Infinity without victims.
 */
function earliestStartOfHighestPriority(victims: readonly Pod[], now: number): number {
  if (victims.length === 0) return -Infinity;
  const highest = Math.max(...victims.map(podPriority));
  let earliest = Infinity;
  for (const v of victims) if (podPriority(v) === highest) earliest = Math.min(earliest, podStartTime(v, now));
  return earliest;
}

/** Higher is better for each function, in upstream's order. */
function scoreFuncs(now: number): ((c: Candidate) => number)[] {
  return [
    (c) => -c.numPDBViolations,
    (c) => (c.victims.length === 0 ? Infinity : -podPriority(c.victims[0]!)),
    (c) => -c.victims.reduce((sum, v) => sum + podPriority(v) + PRIORITY_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims, now),
  ];
}

/** The best candidate, or undefined when there is none. */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): Candidate | undefined {
  let remaining = [...candidates];
  for (const f of scoreFuncs(now)) {
    if (remaining.length <= 1) break;
    const scores = remaining.map(f);
    const best = Math.max(...scores);
    remaining = remaining.filter((_, i) => scores[i] === best);
  }
  return remaining[0];
}
