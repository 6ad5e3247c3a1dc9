// The records of one kind (sandboxes or containers), `<dir>/<id>/<file>`, as state-files.ts keeps
// them on disk, served from memory after one read of the directory. The disk stays the truth:
// `put` writes the file (atomically) before memory changes, so a restarted kubelet reads back the
// same records. Memory holds each record's JSON text, and every `get`/`list` parses a fresh copy,
// so callers may change what they get exactly as they could a record just read from disk.
//
// Contract: one OciRuntime owns a root at a time (the kubelet's); `capstan killall` and tests
// read the files themselves. Without this, each relist (every second) and each pod sync re-read
// every record of the node from disk: O(pods) file reads per sync, O(pods²) in a burst.
import path from 'node:path';
import { listDirs, readRecord, writeRecord } from './state-files.js';

export class RecordStore<T extends { id: string }> {
  /** Each record's JSON text (copies are parsed from it) and one parsed view for `list` filters. */
  private readonly entries = new Map<string, { text: string; view: T }>();
  private loaded?: Promise<void>;

  constructor(private readonly dir: string, private readonly fileName: string) {}

  /** The record file of `id`. */
  fileOf(id: string): string {
    return path.join(this.dir, id, this.fileName);
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      for (const id of await listDirs(this.dir)) {
        const rec = await readRecord<T>(this.fileOf(id));
        // A record written meanwhile by put() is newer than what the directory held.
        if (rec && !this.entries.has(id)) this.remember(rec);
      }
    })();
    return this.loaded;
  }

  private remember(rec: T): void {
    const text = JSON.stringify(rec);
    this.entries.set(rec.id, { text, view: JSON.parse(text) as T });
  }

  async get(id: string): Promise<T | undefined> {
    await this.load();
    const e = this.entries.get(id);
    return e && (JSON.parse(e.text) as T);
  }

  /** Every record (those `filter` accepts; it sees a view it must not change), in no particular order. */
  async list(filter?: (view: Readonly<T>) => boolean): Promise<T[]> {
    await this.load();
    const out: T[] = [];
    for (const e of this.entries.values()) if (!filter || filter(e.view)) out.push(JSON.parse(e.text) as T);
    return out;
  }

  /** Persists `rec` (to disk first), then serves it. */
  async put(rec: T): Promise<void> {
    await this.load();
    await writeRecord(this.fileOf(rec.id), rec);
    this.remember(rec);
  }

  /** Stops serving `id`; call once its directory is removed. */
  forget(id: string): void {
    this.entries.delete(id);
  }
}
