// The Store port: etcd's data model (mvcc) reduced to what the API server needs, so that the
// SQLite, memory and (later) etcd backends are interchangeable.
//
// Model:
// - One global revision, a monotonic integer shared by every key. Every successful write
//   (create, update, delete, lease expiry) gets exactly one new revision; revisions are never
//   reused, also across restarts.
// - A key's `createRevision` is the revision that created it; `modRevision` the one that last
//   changed it. Values are opaque strings (the API server stores JSON).
// - A write's promise resolves only after the write is durable (fsynced for SQLite): "persist
//   BEFORE acknowledging". A write that rejects changed nothing.
// - Watches deliver, per watcher, every event with revision >= the start revision, in revision
//   order, each exactly once, with no gaps, followed by live events.
// - Revisions older than the compact revision are gone: reads at them and watches from them fail
//   with a StoreError of code 'Compacted'.

export interface KeyValue {
  key: string;
  /** Opaque value (JSON text for the API server). */
  value: string;
  createRevision: number;
  modRevision: number;
  /** Number of writes to this key since its creation, 1 on create (as etcd's `version`). */
  version: number;
  /** The lease the key is attached to, or 0. */
  lease: number;
}

export type WatchEvent =
  /** Create (prevKv undefined) or update (prevKv = the value before). `kv.modRevision` is the event's revision. */
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue }
  /** Delete or lease expiry. `revision` is the revision of the deletion; prevKv is the value deleted. */
  | { type: 'delete'; key: string; revision: number; prevKv: KeyValue };

export function eventRevision(e: WatchEvent): number {
  return e.type === 'put' ? e.kv.modRevision : e.revision;
}

/** What a watch listener receives. */
export type WatchMessage =
  /** A batch of events, all with revisions <= `revision`, in order. */
  | { kind: 'events'; events: WatchEvent[]; revision: number }
  /**
   * Progress notification: the watcher has been sent every event up to and including `revision`
   * (which is the store's current revision at the time it was emitted).
   */
  | { kind: 'progress'; revision: number }
  /** The watch cannot continue (start revision compacted, or store closed); no more messages follow. */
  | { kind: 'error'; error: StoreError };

export interface WatchOptions {
  /**
   * First revision to deliver. 0 (or omitted) means "from now": only events after the store's
   * current revision at the time of the call.
   */
  fromRevision?: number;
  /** Emit a progress message when the watcher has been idle this long (ms). 0/undefined: never. */
  progressIntervalMs?: number;
}

export interface Watcher {
  /** Stops delivery. Idempotent; no message is delivered after it returns. */
  cancel(): void;
}

export interface RangeOptions {
  /** Read at this revision (0/undefined = current). Fails with 'Compacted' / 'FutureRevision'. */
  revision?: number;
  /** Return at most this many keys (0/undefined = all). */
  limit?: number;
  /** Start at this key (inclusive) instead of the prefix start; used for continuation. */
  startKey?: string;
  /** Only count, return no kvs. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** The revision the read was served at (the store's current revision when not given). */
  revision: number;
  /** True if keys beyond the returned ones match. */
  more: boolean;
  /** Total number of keys matching the range from startKey on (including those returned). */
  count: number;
}

export interface WriteOptions {
  /** Attach the key to this lease (0 = none). */
  lease?: number;
}

export interface WriteResult {
  /** For create/update: the stored key-value (modRevision = the write's revision). */
  kv: KeyValue;
}

export interface DeleteResult {
  /** The revision of the deletion. */
  revision: number;
  /** The value that was deleted. */
  prevKv: KeyValue;
}

export type StoreErrorCode =
  /** create of a key that exists; `current` holds it. */
  | 'KeyExists'
  /** update/delete of a key that does not exist. */
  | 'KeyNotFound'
  /** update/delete whose expected modRevision differs; `current` holds the key's current value. */
  | 'Conflict'
  /** a revision below the compact revision; `compactRevision` says where history starts. */
  | 'Compacted'
  /** a revision above the current revision. */
  | 'FutureRevision'
  /** the store has been closed. */
  | 'Closed'
  | 'LeaseNotFound';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly current?: KeyValue,
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}

export interface Store {
  /** The current (latest committed) revision. */
  currentRevision(): Promise<number>;
  /** The revision history starts at; reads below it fail with 'Compacted'. 0 if never compacted. */
  compactRevision(): Promise<number>;

  get(key: string, opts?: { revision?: number }): Promise<{ kv?: KeyValue; revision: number }>;
  /** Keys starting with `prefix`, ascending by key. */
  range(prefix: string, opts?: RangeOptions): Promise<RangeResult>;

  /** Fails with 'KeyExists' if the key exists. */
  create(key: string, value: string, opts?: WriteOptions): Promise<WriteResult>;
  /**
   * Replaces the value if the key's modRevision equals `expectedModRevision`; fails with
   * 'KeyNotFound' or 'Conflict' otherwise. Keeps the key's lease unless opts.lease is given.
   */
  update(key: string, value: string, expectedModRevision: number, opts?: WriteOptions): Promise<WriteResult>;
  /** Deletes if the key's modRevision equals `expectedModRevision` (when given). */
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult>;

  /** Watches keys starting with `prefix`. The listener is called asynchronously, never re-entrantly. */
  watch(prefix: string, listener: (msg: WatchMessage) => void, opts?: WatchOptions): Watcher;
  /**
   * Asks every watcher to emit a progress message once it has delivered everything up to the
   * current revision (etcd's RequestProgress). Used by the watch cache to prove it is current.
   */
  requestProgress(): void;

  /** Grants a lease; keys attached to it are deleted (with delete events) when it expires. */
  grantLease(ttlSeconds: number): Promise<number>;
  /** Revokes a lease now, deleting its keys. */
  revokeLease(id: number): Promise<void>;

  /** Discards history below `revision`. Current values are kept. */
  compact(revision: number): Promise<void>;

  /** Flushes and releases resources; pending writes complete first. Watchers get an error 'Closed'. */
  close(): Promise<void>;
}
