// Physical compaction of the history table, run on the main thread's connection in small
// transactions so writers never wait more than one chunk. Each step waits for `writerIdle` first:
// when commits run in the worker on their own connection, a step then never contends with a
// commit for the write lock (which would block the event loop in SQLite's busy wait), and commits
// queued meanwhile go next, so neither starves the other. Contract with the reads:
// the compact revision is persisted and enforced BEFORE any row goes, and a chunk only removes
// rows that no read at or above the compact revision, and no event such a watch replays (nor its
// prevKv), can reach: rows below the compact revision that a newer row below it supersedes, and
// deletion rows below it. Chunks advance in revision order so a deletion row never goes before
// the older rows it hides.
import type { Db } from './schema.js';

export interface CompactionTuning {
  /** Wall time a chunk should take (ms); the chunk size adapts to it. Default 20. */
  targetChunkMs?: number;
  /** Initial revisions per chunk. Default 2000. */
  initialChunk?: number;
}

const MIN_CHUNK = 50;
const MAX_CHUNK = 50_000;
const VACUUM_PAGES_PER_STEP = 256;

/** Lets the writes queued meanwhile commit (inline commits run in a setImmediate callback). */
export const yieldToWriters = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface CompactionHooks {
  /** Polled before every step (close() sets it); an interrupted compaction is simply resumed by the next one. */
  stopped: () => boolean;
  /**
   * Resolves when a step may write: no commit holds or is about to take the write lock. The step
   * runs synchronously right after it resolves. Default: yieldToWriters.
   */
  writerIdle?: () => Promise<void>;
}

/**
 * Removes the history below `compactRevision` (already persisted as the compact revision). Every
 * chunk is self-contained, so stopping between chunks is always safe.
 */
export async function compactHistory(
  db: Db,
  compactRevision: number,
  hooks: CompactionHooks,
  tuning: CompactionTuning = {},
): Promise<void> {
  const { stopped, writerIdle = yieldToWriters } = hooks;
  const target = tuning.targetChunkMs ?? 20;
  let chunk = tuning.initialChunk ?? 2000;
  const lowest = db.prepare('SELECT MIN(revision) AS r FROM kv');
  const remove = db.prepare(`DELETE FROM kv WHERE revision >= @from AND revision < @to AND (deleted = 1 OR EXISTS (
    SELECT 1 FROM kv AS newer WHERE newer.key = kv.key AND newer.revision > kv.revision AND newer.revision < @compact))`);
  const start = (lowest.get() as { r: number | null }).r;
  if (start === null) return;
  for (let from = start; from < compactRevision;) {
    await writerIdle();
    if (stopped()) return;
    const to = Math.min(compactRevision, from + chunk);
    const t0 = performance.now();
    remove.run({ from, to, compact: compactRevision });
    const took = performance.now() - t0;
    if (took > target * 2) chunk = Math.max(MIN_CHUNK, chunk >> 1);
    else if (took < target / 2) chunk = Math.min(MAX_CHUNK, chunk * 2);
    from = to;
  }
  await releaseSpace(db, stopped, writerIdle);
}

/** Returns freed pages to the file system in small steps, then truncates the WAL. */
async function releaseSpace(db: Db, stopped: () => boolean, writerIdle: () => Promise<void>): Promise<void> {
  for (;;) {
    await writerIdle();
    if (stopped()) return;
    if ((db.pragma('freelist_count', { simple: true }) as number) <= VACUUM_PAGES_PER_STEP) break;
    db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
}
