// Revision checks shared by the backends' read paths, with etcd's error semantics.
import { StoreError } from './store.js';

export function compactedError(revision: number, compactRevision: number): StoreError {
  return new StoreError(
    'Compacted',
    `required revision ${revision} has been compacted (compact revision ${compactRevision})`,
    undefined,
    compactRevision,
  );
}

export function futureRevisionError(revision: number, current: number): StoreError {
  return new StoreError('FutureRevision', `required revision ${revision} is a future revision (current ${current})`);
}

/**
 * Resolves the revision a read is served at: 0/undefined means `current`; otherwise it must lie in
 * [compactRevision, current]. Throws 'Compacted' or 'FutureRevision'.
 */
export function readRevision(requested: number | undefined, current: number, compactRevision: number): number {
  if (!requested || requested <= 0) return current;
  if (requested > current) throw futureRevisionError(requested, current);
  if (requested < compactRevision) throw compactedError(requested, compactRevision);
  return requested;
}

/** Validates a compaction target like etcd: it must be newer than the last one and not in the future. */
export function checkCompactRevision(requested: number, current: number, compactRevision: number): void {
  if (requested > current) throw futureRevisionError(requested, current);
  if (requested <= compactRevision) throw compactedError(requested, compactRevision);
}
