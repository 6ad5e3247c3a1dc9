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
  private readonly texts = new Map<string, string>();
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
        if (rec && !this.texts.has(id)) this.texts.set(id, JSON.stringify(rec));
      }
    })();
    return this.loaded;
  }

  async get(id: string): Promise<T | undefined> {
    await this.load();
    const text = this.texts.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** Every record, in no particular order. */
  async list(): Promise<T[]> {
    await this.load();
    return [...this.texts.values()].map((t) => JSON.parse(t) as T);
  }

  /** Persists `rec` (to disk first), then serves it. */
  async put(rec: T): Promise<void> {
    await this.load();
    await writeRecord(this.fileOf(rec.id), rec);
    this.texts.set(rec.id, JSON.stringify(rec));
  }

  /** Stops serving `id`; call once its directory is removed. */
  forget(id: string): void {
    this.texts.delete(id);
  }
}
