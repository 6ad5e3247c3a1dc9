// The backend's choices (what it sends nft, and when), against a stand-in nft that records its
// calls: no kernel, no root. backend.test.ts checks the same against the real kernel.
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNftablesBackend } from './backend.js';
import { expectedChains } from './drift.js';
import { renderFull } from './ruleset.js';
import { endpoint, proxyState, servicePort } from './test-fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capstan-nft-spy-'));
const nftPath = path.join(dir, 'nft');
writeFileSync(nftPath, [
  '#!/bin/sh',
  'd=$(dirname "$0")',
  'echo "$*" >> "$d/calls"',
  'if [ "$1" = list ]; then cat "$d/listing"; exit 0; fi',
  'cat > "$d/stdin.$(wc -l < "$d/calls" | tr -d " ")"',
  // "fail" holds how many more `-f` runs fail
  'if [ -f "$d/fail" ]; then n=$(cat "$d/fail"); if [ "$n" -le 1 ]; then rm -f "$d/fail"; else echo $((n - 1)) > "$d/fail"; fi; echo "Error: injected failure" >&2; exit 1; fi',
  '',
].join('\n'));
chmodSync(nftPath, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

let clock = 0;
const logs: string[] = [];
function calls(): { args: string; stdin: string }[] {
  if (!existsSync(path.join(dir, 'calls'))) return [];
  return readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').map((args, i) => {
    const f = path.join(dir, `stdin.${i + 1}`);
    return { args, stdin: existsSync(f) ? readFileSync(f, 'utf8') : '' };
  });
}
beforeEach(() => {
  for (const f of ['calls', 'fail', 'listing']) rmSync(path.join(dir, f), { force: true });
  for (let i = 1; i < 50; i++) rmSync(path.join(dir, `stdin.${i}`), { force: true });
  logs.length = 0;
  clock = 0;
});
const backendOf = () => createNftablesBackend({ nftPath, log: (m) => logs.push(m), now: () => clock });
function setListing(state: ReturnType<typeof proxyState>, drop = 0): void {
  const chains = [...expectedChains(renderFull(state).written)].slice(drop);
  writeFileSync(path.join(dir, 'listing'), `table ip capstan-proxy {\n${chains.map((c) => `\tchain ${c} {\n\t}\n`).join('')}}\n`);
}

const web = servicePort('web');
const other = servicePort('other', { clusterIPs: ['10.43.0.6'] });

test('first sync recreates the table; an incremental one sends only the changed port, in one nft run', async () => {
  const backend = backendOf();
  await backend.sync(proxyState([web, other]), new Set([web.key]));
  const moved = servicePort('web', { endpoints: [endpoint('10.42.0.9')] });
  await backend.sync(proxyState([moved, other]), new Set([web.key]));
  const c = calls();
  assert.deepEqual(c.map((x) => x.args), ['-f -', '-f -']);
  assert.ok(c[0].stdin.startsWith('add table ip capstan-proxy\ndelete table ip capstan-proxy\n'));
  assert.ok(c[1].stdin.includes('dnat to 10.42.0.9:8080') && !c[1].stdin.includes('default/other/'), c[1].stdin);
});

test('a periodic resync with the table intact and nothing changed lists chains and writes nothing', async () => {
  const backend = backendOf();
  const state = proxyState([web, other]);
  await backend.sync(state, 'all');
  setListing(state);
  clock = 60_000;
  await backend.sync(state, 'all');
  assert.deepEqual(calls().map((x) => x.args), ['-f -', 'list chains ip']);
  // a change the core missed is still caught: the resync diffs every port
  await backend.sync(proxyState([web, servicePort('other', { clusterIPs: ['10.43.0.6'], endpoints: [endpoint('10.42.0.7')] })]), 'all');
  const last = calls().at(-1)!;
  assert.ok(last.stdin.includes('dnat to 10.42.0.7:8080') && !last.stdin.includes('flush table'), last.stdin);
  assert.deepEqual(logs, []);
});

test('a periodic resync that finds a chain missing recreates the table', async () => {
  const backend = backendOf();
  const state = proxyState([web, other]);
  await backend.sync(state, 'all');
  setListing(state, 1);
  await backend.sync(state, 'all');
  const c = calls();
  assert.equal(c.length, 3);
  assert.ok(c[2].stdin.startsWith('add table ip capstan-proxy\ndelete table ip capstan-proxy\n'));
  assert.match(logs.join('\n'), /not as written/);
});

test('once the rewrite period has passed, a resync rewrites in place (flush table, which keeps what the affinity sets hold)', async () => {
  const backend = backendOf();
  const state = proxyState([web, other]);
  await backend.sync(state, 'all');
  clock = 60 * 60 * 1000;
  await backend.sync(state, 'all');
  const c = calls();
  assert.deepEqual(c.map((x) => x.args), ['-f -', '-f -']);
  assert.ok(c[1].stdin.startsWith('add table ip capstan-proxy\nflush table ip capstan-proxy\n'));
});

test('a failed incremental transaction is followed by a rewrite from scratch; a failed rewrite rejects', async () => {
  const backend = backendOf();
  await backend.sync(proxyState([web]), 'all');
  writeFileSync(path.join(dir, 'fail'), '1');
  await backend.sync(proxyState([servicePort('web', { endpoints: [] })]), new Set([web.key]));
  const c = calls();
  assert.equal(c.length, 3);
  assert.ok(c[2].stdin.startsWith('add table ip capstan-proxy\ndelete table ip capstan-proxy\n'));
  assert.match(logs[0], /incremental sync of 1 service port\(s\) failed.*injected failure/);
  writeFileSync(path.join(dir, 'fail'), '2');
  await assert.rejects(backend.sync(proxyState([web]), new Set([web.key])), /injected failure/);
  // nothing is trusted after a failure: the next call rewrites from scratch
  await backend.sync(proxyState([web]), new Set([web.key]));
  assert.ok(calls().at(-1)!.stdin.startsWith('add table ip capstan-proxy\ndelete table'));
});

test('cleanup deletes the table whether or not it exists', async () => {
  await backendOf().cleanup();
  assert.deepEqual(calls().map((x) => x.stdin), ['add table ip capstan-proxy\ndelete table ip capstan-proxy\n']);
});
