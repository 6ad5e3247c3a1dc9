// Indexed completion mode (upstream indexed_job_utils.go): each pod carries its completion index
// in an annotation and a label; indexes are in [0, completions); status.completedIndexes lists
// succeeded indexes as ranges (`1,3-5`). Pure.
import type { Pod } from '../../api/index.js';

export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** The label carries the same value (upstream PodIndexLabel, for selectors and services). */
export const JOB_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';

/** The pod's completion index, or undefined when absent or malformed (upstream getCompletionIndex). */
export function completionIndexOf(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION] ?? pod.metadata?.labels?.[JOB_INDEX_LABEL];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Formats sorted, distinct indexes as upstream's interval list: `0,2-4,7`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Parses `0,2-4,7` (entries ≥ `completions` are dropped, as upstream does on scale down). */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return out;
}

/**
 * The lowest `count` indexes that neither succeeded nor have an active pod (upstream
 * firstPendingIndexes), in increasing order.
 */
export function firstPendingIndexes(active: Iterable<number>, succeeded: Set<number>, count: number, completions: number): number[] {
  const taken = new Set(active);
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i) && !succeeded.has(i)) out.push(i);
  return out;
}
