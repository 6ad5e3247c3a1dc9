// Physical compaction of the history table, run in small transactions so writers (which share
// the single connection and thread) never wait more than one chunk. Contract with the reads:
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

const yieldToWriters = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Removes the history below `compactRevision` (already persisted as the compact revision).
 * `stopped()` is polled between chunks (close() sets it); an interrupted compaction is simply
 * resumed by the next one, since every chunk is self-contained.
 */
export async function compactHistory(
  db: Db,
  compactRevision: number,
  stopped: () => boolean,
  tuning: CompactionTuning = {},
): Promise<void> {
  const target = tuning.targetChunkMs ?? 20;
  let chunk = tuning.initialChunk ?? 2000;
  const lowest = db.prepare('SELECT MIN(revision) AS r FROM kv');
  const remove = db.prepare(`DELETE FROM kv WHERE revision >= @from AND revision < @to AND (deleted = 1 OR EXISTS (
    SELECT 1 FROM kv AS newer WHERE newer.key = kv.key AND newer.revision > kv.revision AND newer.revision < @compact))`);
  const start = (lowest.get() as { r: number | null }).r;
  if (start === null) return;
  for (let from = start; from < compactRevision;) {
    if (stopped()) return;
    const to = Math.min(compactRevision, from + chunk);
    const t0 = performance.now();
    remove.run({ from, to, compact: compactRevision });
    const took = performance.now() - t0;
    if (took > target * 2) chunk = Math.max(MIN_CHUNK, chunk >> 1);
    else if (took < target / 2) chunk = Math.min(MAX_CHUNK, chunk * 2);
    from = to;
    await yieldToWriters();
  }
  await releaseSpace(db, stopped);
}

/** Returns freed pages to the file system in small steps, then truncates the WAL. */
async function releaseSpace(db: Db, stopped: () => boolean): Promise<void> {
  while (!stopped() && (db.pragma('freelist_count', { simple: true }) as number) > VACUUM_PAGES_PER_STEP) {
    db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
    await yieldToWriters();
  }
  if (!stopped()) db.pragma('wal_checkpoint(TRUNCATE)');
}
