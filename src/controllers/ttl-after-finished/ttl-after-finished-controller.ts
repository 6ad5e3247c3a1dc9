// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a finished
// Job once ttlSecondsAfterFinished passed, with foreground propagation so its pods go first. It
// re-reads the Job from the API before deleting (the cache may be stale, the TTL may have been
// changed) and deletes with a uid + resourceVersion precondition.
import { isStatusError, jobs as jobsResource, type Job } from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { ttlTimeLeftMs } from './ttl.js';

/** Upstream ConcurrentTTLSyncs default. */
export const TTL_WORKERS = 5;

export class TTLAfterFinishedController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly store: Indexer;
  private readonly client: ResourceClient;

  constructor(private readonly ctx: ControllerContext, private readonly workers = TTL_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.client = ctx.client.resource(jobsResource);
    const informer = ctx.informers.informerFor(jobsResource);
    this.store = informer.store;
    const enqueue = (j: unknown) => {
      if (ttlTimeLeftMs(j as Job, ctx.clock.now()) !== undefined) this.queue.add(objectKey(j as Job));
    };
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, j) => enqueue(j) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Deletes the job if it expired, else asks to look again when it will. Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.store.get(key) as Job | undefined;
    if (!cached) return;
    const left = ttlTimeLeftMs(cached, this.ctx.clock.now());
    if (left === undefined) return;
    if (left > 0) return { requeueAfterMs: left };
    const { namespace, name } = splitKey(key);
    let fresh: Job;
    try {
      fresh = await this.client.get(namespace, name) as Job;
    } catch (e) {
      if (isStatusError(e, 'NotFound')) return;
      throw e;
    }
    const freshLeft = ttlTimeLeftMs(fresh, this.ctx.clock.now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) return { requeueAfterMs: freshLeft };
    try {
      await this.client.delete(namespace, name, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata?.uid, resourceVersion: fresh.metadata?.resourceVersion },
      });
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }
}
