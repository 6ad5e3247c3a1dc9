// The kubelet's ReadLogs: turns a container's CRI log files into what `kubectl logs` prints.
// Called by the kubelet server per request; it only reads files, so concurrent readers and the
// rotation manager may work on the same container at once. Rotated files are read first, oldest
// first, then the current file; with `follow` it keeps reading the current file as it grows and
// moves on to the new file when the rotation manager renames it, until the container stops.
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, readFile, type FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Writable } from 'node:stream';
import { LineSplitter, parseCriLine, formatRfc3339Nano, type CriLogEntry } from './cri-log.js';
import { listRotatedFiles } from './log-files.js';
import type { LogOptions } from './log-options.js';

export interface ReadLogsContext {
  /** Whether the container still runs; `follow` ends at the end of the file once it does not. */
  isRunning?: () => Promise<boolean>;
  /** Ends the read early (client gone). */
  signal?: AbortSignal;
  /** How often `follow` looks for new data when no change event arrives; default 250 ms. */
  pollIntervalMs?: number;
}

/** Turns entries into output bytes: stream selection, since, timestamps, limitBytes. */
class LogWriter {
  private remaining: number;
  private atLineStart = true;
  done = false;

  constructor(private readonly opts: LogOptions, private readonly out: Writable) {
    this.remaining = opts.limitBytes ?? Infinity;
  }

  accepts(e: CriLogEntry): boolean {
    if (this.opts.stream === 'Stdout' && e.stream !== 'stdout') return false;
    if (this.opts.stream === 'Stderr' && e.stream !== 'stderr') return false;
    return this.opts.sinceMs === undefined || e.time >= this.opts.sinceMs;
  }

  /** Writes one entry; resolves once the output accepted it (back-pressure). */
  async write(e: CriLogEntry): Promise<void> {
    if (this.done || !this.accepts(e)) return;
    const parts: Buffer[] = [];
    if (this.opts.timestamps && this.atLineStart) parts.push(Buffer.from(`${formatRfc3339Nano(e.timestamp)} `));
    parts.push(e.content);
    if (!e.partial) parts.push(Buffer.from('\n'));
    this.atLineStart = !e.partial;
    let chunk = Buffer.concat(parts);
    if (chunk.length >= this.remaining) {
      chunk = chunk.subarray(0, this.remaining);
      this.done = true;
    }
    this.remaining -= chunk.length;
    if (this.out.destroyed) {
      this.done = true;
      return;
    }
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('close', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
      });
    }
  }
}

function entriesOf(data: Buffer): CriLogEntry[] {
  const split = new LineSplitter();
  const lines = split.push(data);
  const last = split.flush();
  if (last) lines.push(last);
  const out: CriLogEntry[] = [];
  for (const l of lines) {
    const e = parseCriLine(l);
    if (e) out.push(e);
  }
  return out;
}

/** Index of the first entry of the last `n` lines (a line may span partial entries). */
export function tailStart(entries: CriLogEntry[], n: number): number {
  if (n <= 0) return entries.length;
  let lines = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    // Entry i ends a line when it is full; count the line when reaching its first entry.
    if (i === 0 || !entries[i - 1]!.partial) {
      lines++;
      if (lines === n) return i;
    }
  }
  return 0;
}

/**
 * Writes the logs of the container whose current file is `path` to `out` (which it does not end).
 * Throws if the current file does not exist and no rotated file does either.
 */
export async function readLogs(path: string, opts: LogOptions, out: Writable, ctx: ReadLogsContext = {}): Promise<void> {
  const writer = new LogWriter(opts, out);
  const rotated = await listRotatedFiles(path);
  const history: CriLogEntry[] = [];
  for (const f of rotated) {
    try {
      const raw = await readFile(f.path);
      history.push(...entriesOf(f.compressed ? gunzipSync(raw) : raw));
    } catch {
      // A file removed by the rotation manager meanwhile: its lines are gone upstream too.
    }
  }
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if (!rotated.length) throw e;
  }
  try {
    let position = 0;
    const split = new LineSplitter();
    if (fh) {
      const { buffer, end } = await readToEnd(fh, 0);
      position = end;
      for (const l of split.push(buffer)) {
        const e = parseCriLine(l);
        if (e) history.push(e);
      }
    }
    // As upstream: the tail is taken over the file's lines first, then since/stream filter them.
    const start = opts.tailLines === undefined ? 0 : tailStart(history, opts.tailLines);
    for (let i = start; i < history.length && !writer.done; i++) await writer.write(history[i]!);
    if (!opts.follow || writer.done || !fh) return;
    await follow(path, fh, position, split, writer, ctx, (next) => { fh = next; });
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

async function readToEnd(fh: FileHandle, from: number): Promise<{ buffer: Buffer; end: number }> {
  const chunks: Buffer[] = [];
  let pos = from;
  for (;;) {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  return { buffer: Buffer.concat(chunks), end: pos };
}

async function follow(
  path: string, first: FileHandle, from: number, split: LineSplitter, writer: LogWriter, ctx: ReadLogsContext, swapped: (fh: FileHandle) => void,
): Promise<void> {
  let fh = first;
  let position = from;
  let ino = (await fh.stat()).ino;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  let watcher: FSWatcher | undefined;
  const rewatch = () => {
    watcher?.close();
    try {
      watcher = watch(path, poke);
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
  };
  rewatch();
  ctx.signal?.addEventListener('abort', poke);
  try {
    let stopping = false;
    while (!writer.done && !ctx.signal?.aborted) {
      const { buffer, end } = await readToEnd(fh, position);
      position = end;
      for (const l of split.push(buffer)) {
        const e = parseCriLine(l);
        if (e) await writer.write(e);
        if (writer.done) return;
      }
      if (buffer.length) continue;
      // At the end of the file: a rotation replaced it, the container stopped, or wait.
      const now = await stat(path).catch(() => undefined);
      if (now && now.ino !== ino) {
        const next = await open(path, 'r').catch(() => undefined);
        if (next) {
          await fh.close().catch(() => undefined);
          fh = next;
          swapped(fh);
          ino = now.ino;
          position = 0;
          rewatch();
          continue;
        }
      }
      if (stopping) return;
      if (ctx.isRunning && !(await ctx.isRunning())) {
        // One more pass: the last lines may have landed after the read above.
        stopping = true;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ctx.pollIntervalMs ?? 250);
        wake = () => { clearTimeout(timer); resolve(); };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
    ctx.signal?.removeEventListener('abort', poke);
  }
}

