import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { formatCriLine } from './cri-log.js';
import { readLogs } from './read-logs.js';
import type { LogOptions } from './log-options.js';

const dir = mkdtempSync(join(tmpdir(), 'capstan-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2024-01-01T00:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000);

function collect(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString() };
}

async function read(path: string, opts: LogOptions): Promise<string> {
  const c = collect();
  await readLogs(path, opts, c.out);
  return c.text();
}

const file = join(dir, '0.log');
writeFileSync(file, Buffer.concat([
  formatCriLine(at(1), 'stdout', 'one'),
  formatCriLine(at(2), 'stderr', 'two'),
  formatCriLine(at(3), 'stdout', 'thr', true),
  formatCriLine(at(3), 'stdout', 'ee'),
  Buffer.from('not a cri line\n'),
  formatCriLine(at(4), 'stdout', 'four'),
]));

test('joins partial lines and interleaves streams', async () => {
  assert.equal(await read(file, {}), 'one\ntwo\nthree\nfour\n');
});

test('tailLines counts joined lines', async () => {
  assert.equal(await read(file, { tailLines: 2 }), 'three\nfour\n');
  assert.equal(await read(file, { tailLines: 0 }), '');
  assert.equal(await read(file, { tailLines: 10 }), 'one\ntwo\nthree\nfour\n');
});

test('since, timestamps, limitBytes and stream selection', async () => {
  assert.equal(await read(file, { sinceMs: at(3).getTime() }), 'three\nfour\n');
  assert.equal(await read(file, { timestamps: true, tailLines: 1 }), '2024-01-01T00:00:04Z four\n');
  assert.equal(await read(file, { timestamps: true, tailLines: 2 }), '2024-01-01T00:00:03Z three\n2024-01-01T00:00:04Z four\n');
  assert.equal(await read(file, { limitBytes: 6 }), 'one\ntw');
  assert.equal(await read(file, { stream: 'Stderr' }), 'two\n');
  // The tail is cut before since filters (upstream order).
  assert.equal(await read(file, { tailLines: 2, sinceMs: at(4).getTime() }), 'four\n');
});

test('rotated files come first, compressed ones decompressed', async () => {
  const d = mkdtempSync(join(dir, 'rot-'));
  const cur = join(d, '2.log');
  writeFileSync(`${cur}.20240101-000001.gz`, gzipSync(formatCriLine(at(1), 'stdout', 'a')));
  writeFileSync(`${cur}.20240101-000002`, formatCriLine(at(2), 'stdout', 'b'));
  writeFileSync(cur, formatCriLine(at(3), 'stdout', 'c'));
  assert.equal(await read(cur, {}), 'a\nb\nc\n');
  assert.equal(await read(cur, { tailLines: 2 }), 'b\nc\n');
});

test('a missing log file is an error', async () => {
  await assert.rejects(read(join(dir, 'nope.log'), {}), /ENOENT/);
});

test('follow reads appends and moves to the new file after rotation, until the container stops', async () => {
  const d = mkdtempSync(join(dir, 'follow-'));
  const cur = join(d, '0.log');
  writeFileSync(cur, formatCriLine(at(1), 'stdout', 'first'));
  let running = true;
  const c = collect();
  const done = readLogs(cur, { follow: true }, c.out, { isRunning: async () => running, pollIntervalMs: 20 });
  const waitFor = async (s: string) => {
    for (let i = 0; i < 500 && !c.text().includes(s); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(c.text().includes(s), `saw ${JSON.stringify(c.text())}`);
  };
  await waitFor('first\n');
  appendFileSync(cur, formatCriLine(at(2), 'stdout', 'second'));
  await waitFor('second\n');
  renameSync(cur, `${cur}.20240101-000002`);
  writeFileSync(cur, formatCriLine(at(3), 'stdout', 'third'));
  await waitFor('third\n');
  appendFileSync(cur, formatCriLine(at(4), 'stdout', 'last'));
  running = false;
  await done;
  assert.equal(c.text(), 'first\nsecond\nthird\nlast\n');
});

test('follow stops when the signal aborts', async () => {
  const cur = join(mkdtempSync(join(dir, 'abort-')), '0.log');
  writeFileSync(cur, formatCriLine(at(1), 'stdout', 'x'));
  const ac = new AbortController();
  const c = collect();
  const done = readLogs(cur, { follow: true }, c.out, { isRunning: async () => true, signal: ac.signal, pollIntervalMs: 20 });
  setTimeout(() => ac.abort(), 50);
  await done;
  assert.equal(c.text(), 'x\n');
});
