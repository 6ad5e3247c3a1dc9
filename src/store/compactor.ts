// Periodic history compaction, as the Kubernetes API server does it for etcd: at every interval
// compact to the revision observed one interval earlier, so watchers and paginated lists get at
// least one full interval to finish reading a revision before it disappears. One compactor per
// store (the server role starts it); safe with several because an already-compacted revision
// is simply skipped.
import { isStoreError, type Store } from './store.js';

export interface CompactorOptions {
  /** Time between compactions (ms). Default 5 minutes, as upstream's --etcd-compaction-interval. */
  intervalMs?: number;
  /** Always keep at least this many most recent revisions of history. Default 0. */
  keepRevisions?: number;
  /** Called with unexpected errors (a failed compaction is retried at the next interval). */
  onError?: (err: unknown) => void;
  /**
   * Waits `ms`, resolving true, or false once `signal` aborts. Default: a timer. Tests inject a
   * manual clock here.
   */
  wait?: (ms: number, signal: AbortSignal) => Promise<boolean>;
}

/** Runs until `signal` aborts; resolves after the compaction in flight (if any) has finished. */
export async function startCompactor(store: Store, opts: CompactorOptions, signal: AbortSignal): Promise<void> {
  const intervalMs = opts.intervalMs ?? 5 * 60 * 1000;
  const keep = opts.keepRevisions ?? 0;
  const wait = opts.wait ?? sleep;
  let observed = 0;
  while (await wait(intervalMs, signal)) {
    try {
      const current = await store.currentRevision();
      const target = Math.min(observed, current - keep);
      if (target > 0 && target > (await store.compactRevision())) await store.compact(target);
      observed = current;
    } catch (err) {
      if (isStoreError(err, 'Closed')) return;
      if (!isStoreError(err, 'Compacted')) opts.onError?.(err);
    }
  }
}

/** Resolves true after `ms`, or false as soon as `signal` is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
