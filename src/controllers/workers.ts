// The reconcile loop every controller runs (upstream processNextWorkItem + handleErr): N workers
// take keys from a WorkQueue; a key is never reconciled by two workers at once. A failed key is
// retried with the queue's per-item exponential backoff (5 ms doubling to 1000 s) up to
// `maxRetries` times, then dropped until its next event; a success forgets its failures.
import { isStatusError } from '../api/index.js';
import type { WorkQueue } from '../client/index.js';

/** What a reconcile asks for besides success: run again after `requeueAfterMs`. */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

/** Upstream maxRetries of the ReplicaSet and Deployment controllers. */
export const MAX_RETRIES = 15;

/** Runs `workers` loops until the queue shuts down; shuts it down when `signal` aborts. */
export async function runWorkers(queue: WorkQueue<string>, workers: number, reconcile: Reconcile, signal: AbortSignal, onError: (err: unknown) => void): Promise<void> {
  const onAbort = () => queue.shutDown();
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const loop = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const res = await reconcile(key);
        queue.forget(key);
        if (res?.requeueAfterMs !== undefined) queue.addAfter(key, res.requeueAfterMs);
      } catch (e) {
        // Conflicts are expected with informer lag: retry quietly.
        if (!isStatusError(e, 'Conflict')) onError(e);
        if (queue.numRequeues(key) < MAX_RETRIES) queue.addRateLimited(key);
        else queue.forget(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, loop));
}
