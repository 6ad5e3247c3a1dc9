// The main thread's side of the commit worker (commit-worker.ts): posts a plan's persisted part
// to the worker and resolves once the worker's transaction committed, i.e. once it is durable.
// Contract with SqliteStore: at most one commit in flight (the store awaits each before planning
// the next), so replies need no ids. If the worker dies, the commit in flight and every later one
// reject with the reason; nothing hangs.
import { Worker } from 'node:worker_threads';
import type { PlanBase, PlanRecord } from './commit.js';

export interface CommitWorkerData {
  path: string;
}

export type CommitRequest =
  | { type: 'commit'; plan: PlanRecord; before: PlanBase }
  /** Close the worker's connection and exit; sent once, by close(), with no commit in flight. */
  | { type: 'close' };

export type CommitReply = { ok: true } | { error: { message: string; code?: string } };

/**
 * Starts the worker from the compiled .js beside this file, or, when running from sources under
 * `node --import tsx`, from the .ts source. Node 20 does not apply the main thread's --import
 * loader hooks to workers, so the source worker registers tsx itself before importing its entry.
 */
function startWorker(data: CommitWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./commit-worker.js', import.meta.url), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./commit-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

export class WorkerCommitter {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private inflight: { resolve: () => void; reject: (e: Error) => void } | undefined;
  /** Set once the worker is gone (or going): every commit from then on rejects with it. */
  private failure: Error | undefined;

  constructor(path: string) {
    this.worker = startWorker({ path });
    // Referenced only while a commit or the close is awaited, so an idle store never keeps the
    // process alive, but an unacknowledged write does.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (reply: CommitReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(new Error(`sqlite commit worker failed: ${err.message}`, { cause: err })));
    this.worker.on('exit', (code) => this.fail(new Error(`sqlite commit worker exited (code ${code})`)));
  }

  /** Persists the plan in one transaction in the worker; resolves once it is durable. */
  commit(plan: PlanRecord, before: PlanBase): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inflight) return Promise.reject(new Error('sqlite commit worker: a commit is already in flight'));
    return new Promise<void>((resolve, reject) => {
      this.inflight = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage({ type: 'commit', plan, before } satisfies CommitRequest);
    });
  }

  /** Closes the worker's connection and waits for the thread to end. Call with no commit in flight. */
  async close(): Promise<void> {
    if (!this.failure) {
      this.failure = new Error('sqlite commit worker is closed');
      this.worker.ref();
      this.worker.postMessage({ type: 'close' } satisfies CommitRequest);
    }
    await this.exited;
  }

  /** Ends the thread at once (for a close that could not wait). */
  terminate(): void {
    void this.worker.terminate();
  }

  private settle(reply: CommitReply): void {
    const waiting = this.inflight;
    this.inflight = undefined;
    this.worker.unref();
    if (!waiting) return;
    if ('ok' in reply) waiting.resolve();
    else waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const waiting = this.inflight;
    this.inflight = undefined;
    waiting?.reject(this.failure);
  }
}
