// Upstream slowStartBatch (pkg/controller/replicaset): creates `count` objects in batches of
// 1, 2, 4, … (doubling, capped at what remains), each batch in parallel, stopping after the first
// batch with a failure. A misconfigured template (quota, admission) thus fails one call, not
// hundreds, while a healthy one still ramps up exponentially.

/** Upstream SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** The batch sizes slowStartBatch would use for `count` items if every call succeeded. */
export function slowStartBatchSizes(count: number, initial = SLOW_START_INITIAL_BATCH_SIZE): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/**
 * Calls `fn` `count` times in slow-start batches. Returns how many calls succeeded and the first
 * error (after which no further batch started).
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= size;
  }
  return { successes };
}
