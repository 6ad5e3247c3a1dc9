// The write path's pure core, shared by both backends: given the current state and an ordered
// batch of write operations, decide each operation's outcome and the history rows, watch events
// and state changes the batch produces. Each operation is checked against the state left by the
// operations before it in the same batch; a failed operation gets no revision and changes
// nothing. The caller persists the plan (SQLite: one transaction) and only then applies it to the
// CurrentIndex, publishes the events and settles the callers' promises.
import { StoreError, type DeleteResult, type KeyValue, type WatchEvent, type WriteResult } from './store.js';
import type { CurrentIndex, LeaseRecord } from './current-index.js';

export type WriteOp =
  | { op: 'create'; key: string; value: string; lease: number }
  | { op: 'update'; key: string; value: string; expectedModRevision: number; lease?: number }
  | { op: 'delete'; key: string; expectedModRevision?: number }
  | { op: 'grantLease'; ttlSeconds: number }
  /** `expired`: issued by the lease timer; a lease already gone is then not an error. */
  | { op: 'revokeLease'; id: number; expired?: boolean };

export type OpResult = WriteResult | DeleteResult | number | undefined;
export type OpOutcome = { ok: true; result: OpResult } | { ok: false; error: StoreError };

/** One revision of one key, as the history (MVCC) table stores it. */
export interface HistoryRow {
  revision: number;
  key: string;
  /** '' for deletions. */
  value: string;
  createRevision: number;
  /** 0 for deletions. */
  version: number;
  lease: number;
  deleted: boolean;
  /** Revision of the live value this row replaced or deleted; 0 for a create. */
  prevRevision: number;
}

export interface WritePlan {
  outcomes: OpOutcome[];
  /** Ascending by revision, one per successful key change. */
  rows: HistoryRow[];
  events: WatchEvent[];
  /** Final value per touched key (null: deleted). */
  keyChanges: Map<string, KeyValue | null>;
  leasesGranted: LeaseRecord[];
  leasesRevoked: number[];
  /** The store's revision after the batch (unchanged if nothing succeeded). */
  revision: number;
  nextLeaseId: number;
}

export interface PlanContext {
  revision: number;
  nextLeaseId: number;
  /** Wall clock, ms since the epoch, for lease expiry. */
  now: number;
}

export function planWrites(index: CurrentIndex, ops: readonly WriteOp[], ctx: PlanContext): WritePlan {
  const keyChanges = new Map<string, KeyValue | null>();
  const leaseChanges = new Map<number, LeaseRecord | null>();
  const plan: WritePlan = {
    outcomes: [], rows: [], events: [], keyChanges, leasesGranted: [], leasesRevoked: [],
    revision: ctx.revision, nextLeaseId: ctx.nextLeaseId,
  };
  const current = (key: string): KeyValue | undefined => {
    const staged = keyChanges.get(key);
    return staged === undefined ? index.get(key) : staged ?? undefined;
  };
  const leaseExists = (id: number): boolean => {
    const staged = leaseChanges.get(id);
    return staged === undefined ? index.leases.has(id) : staged !== null;
  };
  const put = (key: string, value: string, lease: number, prev: KeyValue | undefined): KeyValue => {
    const revision = ++plan.revision;
    const kv: KeyValue = {
      key, value, lease, modRevision: revision,
      createRevision: prev ? prev.createRevision : revision,
      version: prev ? prev.version + 1 : 1,
    };
    plan.rows.push({
      revision, key, value, lease, createRevision: kv.createRevision, version: kv.version,
      deleted: false, prevRevision: prev ? prev.modRevision : 0,
    });
    plan.events.push(prev ? { type: 'put', kv: { ...kv }, prevKv: { ...prev } } : { type: 'put', kv: { ...kv } });
    keyChanges.set(key, kv);
    return kv;
  };
  const remove = (prev: KeyValue): DeleteResult => {
    const revision = ++plan.revision;
    plan.rows.push({
      revision, key: prev.key, value: '', lease: 0, createRevision: prev.createRevision, version: 0,
      deleted: true, prevRevision: prev.modRevision,
    });
    plan.events.push({ type: 'delete', key: prev.key, revision, prevKv: { ...prev } });
    keyChanges.set(prev.key, null);
    return { revision, prevKv: { ...prev } };
  };
  const fail = (error: StoreError) => plan.outcomes.push({ ok: false, error });
  const succeed = (result: OpResult) => plan.outcomes.push({ ok: true, result });

  for (const op of ops) {
    switch (op.op) {
      case 'create': {
        const prev = current(op.key);
        if (prev) fail(new StoreError('KeyExists', `key "${op.key}" already exists`, { ...prev }));
        else if (op.lease !== 0 && !leaseExists(op.lease)) fail(leaseNotFound(op.lease));
        else succeed({ kv: { ...put(op.key, op.value, op.lease, undefined) } });
        break;
      }
      case 'update': {
        const prev = current(op.key);
        const lease = op.lease ?? prev?.lease ?? 0;
        if (!prev) fail(new StoreError('KeyNotFound', `key "${op.key}" not found`));
        else if (prev.modRevision !== op.expectedModRevision) fail(conflict(prev, op.expectedModRevision));
        else if (lease !== 0 && !leaseExists(lease)) fail(leaseNotFound(lease));
        else succeed({ kv: { ...put(op.key, op.value, lease, prev) } });
        break;
      }
      case 'delete': {
        const prev = current(op.key);
        if (!prev) fail(new StoreError('KeyNotFound', `key "${op.key}" not found`));
        else if (op.expectedModRevision !== undefined && prev.modRevision !== op.expectedModRevision) {
          fail(conflict(prev, op.expectedModRevision));
        } else succeed(remove(prev));
        break;
      }
      case 'grantLease': {
        const lease: LeaseRecord = { id: plan.nextLeaseId++, ttlSeconds: op.ttlSeconds, expiresAt: ctx.now + op.ttlSeconds * 1000 };
        leaseChanges.set(lease.id, lease);
        plan.leasesGranted.push(lease);
        succeed(lease.id);
        break;
      }
      case 'revokeLease': {
        if (!leaseExists(op.id)) {
          if (op.expired) succeed(undefined);
          else fail(leaseNotFound(op.id));
          break;
        }
        const keys = new Set(index.keysOfLease(op.id));
        for (const [key, kv] of keyChanges) if (kv && kv.lease === op.id) keys.add(key);
        for (const key of [...keys].sort()) {
          const kv = current(key);
          if (kv && kv.lease === op.id) remove(kv);
        }
        leaseChanges.set(op.id, null);
        plan.leasesRevoked.push(op.id);
        succeed(undefined);
        break;
      }
    }
  }
  return plan;
}

/** Applies a persisted plan to the current state. Call exactly once per plan, in plan order. */
export function applyPlan(index: CurrentIndex, plan: WritePlan): void {
  for (const [key, kv] of plan.keyChanges) index.setKey(key, kv);
  for (const lease of plan.leasesGranted) index.leases.set(lease.id, lease);
  for (const id of plan.leasesRevoked) index.leases.delete(id);
}

function conflict(current: KeyValue, expected: number): StoreError {
  return new StoreError(
    'Conflict',
    `key "${current.key}" has modRevision ${current.modRevision}, expected ${expected}`,
    { ...current },
  );
}

function leaseNotFound(id: number): StoreError {
  return new StoreError('LeaseNotFound', `lease ${id} not found`);
}
