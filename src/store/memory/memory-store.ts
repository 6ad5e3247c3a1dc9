// The in-memory Store: the same semantics as the SQLite backend (revisions, MVCC history until
// compacted, watches with replay, leases), without durability. Used by unit tests and `capstan
// sim`. Each write is its own commit: planned, applied and published synchronously inside the
// call, its promise settled afterwards.
import type { Store } from '../store.js';
import { CurrentIndex } from '../current-index.js';
import type { OpResult, WriteOp } from '../write-plan.js';
import { MvccStore, type MvccStoreOptions } from '../mvcc-store.js';
import { MemoryHistory } from './memory-history.js';

export type MemoryStoreOptions = MvccStoreOptions;

export function createMemoryStore(opts: MemoryStoreOptions = {}): Store {
  return new MemoryStore(opts);
}

class MemoryStore extends MvccStore<MemoryHistory> {
  constructor(opts: MemoryStoreOptions) {
    super({ revision: 0, compactRevision: 0, nextLeaseId: 1, index: new CurrentIndex() }, new MemoryHistory(), opts);
  }

  protected async submit(op: WriteOp): Promise<OpResult> {
    this.checkOpen();
    const plan = this.planBatch([op]);
    this.history.append(plan.rows, plan.events);
    this.makeCurrent(plan);
    const outcome = plan.outcomes[0]!;
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  protected async beginCompaction(revision: number): Promise<void> {
    this.history.compact(revision);
  }

  protected async finishPendingWork(): Promise<void> {}
}
