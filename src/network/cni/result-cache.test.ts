import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResultCache, decodeCachedAttachment } from './result-cache.js';
import type { NetConfList } from './types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capstan-cni-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const list: NetConfList = { cniVersion: '1.0.0', name: 'net', plugins: [{ type: 'bridge' }] };
const result = { cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }] };

test('write then read round-trips the attachment; overwrite is atomic (no temp file left); remove is idempotent', async () => {
  const cache = new ResultCache(dir);
  await cache.write(list, { containerId: 'c1', netns: '/n', ifName: 'eth0', args: [['K', 'V']] }, result);
  await cache.write(list, { containerId: 'c1', netns: '/n', ifName: 'eth0', args: [['K', 'V2']] }, result);
  assert.deepEqual(readdirSync(cache.resultsDir), ['net-c1-eth0']);
  const entry = await cache.read('net', 'c1', 'eth0');
  assert.deepEqual(entry?.list, list);
  assert.deepEqual(entry?.attachment.cniArgs, [['K', 'V2']]);
  assert.deepEqual(entry?.attachment.result, result);
  assert.equal(entry?.attachment.capabilityArgs, undefined);
  await cache.remove('net', 'c1', 'eth0');
  await cache.remove('net', 'c1', 'eth0');
  assert.equal(await cache.read('net', 'c1', 'eth0'), undefined);
  assert.throws(() => cache.filePath('', 'c1', 'eth0'), /requires network name/);
});

test('list filters by container id and skips files that are not cniCacheV1 records', async () => {
  const cache = new ResultCache(dir);
  await cache.write(list, { containerId: 'a', netns: '', ifName: 'eth0' }, result);
  await cache.write(list, { containerId: 'ab', netns: '', ifName: 'eth0' }, result);
  await cache.write({ ...list, name: 'cni-loopback' }, { containerId: 'a', netns: '', ifName: 'lo' }, result);
  writeFileSync(path.join(cache.resultsDir, 'net-junk-eth0'), '{"kind":"other"}');
  assert.deepEqual((await cache.list()).map((e) => `${e.attachment.networkName}/${e.attachment.containerId}/${e.attachment.ifName}`), ['cni-loopback/a/lo', 'net/a/eth0', 'net/ab/eth0']);
  assert.deepEqual((await cache.list('a')).map((e) => e.attachment.ifName), ['lo', 'eth0']);
  assert.equal(decodeCachedAttachment('not json'), undefined);
  assert.equal(decodeCachedAttachment('{"kind":"cniCacheV1","config":"!!"}')?.list, undefined);
});
