import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { confFileCandidates, loadConfDir, parseConfFile } from './conf-files.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capstan-cni-conf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('candidates are .conf, .conflist and .json files in name order', () => {
  assert.deepEqual(confFileCandidates(['20-b.conf', 'README', '10-a.conflist', '99.json', 'x.conf.bak', '05-z.json']), ['05-z.json', '10-a.conflist', '20-b.conf', '99.json']);
});

test('a .conf is wrapped into a list of one; a .conflist keeps its plugins', () => {
  assert.deepEqual(parseConfFile('10-x.conf', JSON.stringify({ cniVersion: '0.4.0', name: 'x', type: 'bridge', bridge: 'br9' })), {
    cniVersion: '0.4.0', name: 'x', plugins: [{ cniVersion: '0.4.0', name: 'x', type: 'bridge', bridge: 'br9' }],
  });
  assert.deepEqual(parseConfFile('10-y.conflist', JSON.stringify({ cniVersion: '1.0.0', name: 'y', disableCheck: true, plugins: [{ type: 'ptp' }, { type: 'portmap' }] })), {
    cniVersion: '1.0.0', name: 'y', disableCheck: true, plugins: [{ type: 'ptp' }, { type: 'portmap' }],
  });
  assert.throws(() => parseConfFile('a.conflist', '{"name":"n","plugins":[]}'), /no networks/);
  assert.throws(() => parseConfFile('a.conflist', '{"name":"n"}'), /plugins/);
  assert.throws(() => parseConfFile('a.conf', '{"name":"n"}'), /no type/);
  assert.throws(() => parseConfFile('a.conf', '{"type":"bridge"}'), /no name/);
  assert.throws(() => parseConfFile('a.json', 'not json'), /error parsing/);
});

test('loadConfDir takes the first usable file by name and reports the broken ones before it', async () => {
  writeFileSync(path.join(dir, '00-broken.conflist'), '{');
  writeFileSync(path.join(dir, '10-user.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'user', plugins: [{ type: 'ptp' }] }));
  writeFileSync(path.join(dir, '20-later.conf'), JSON.stringify({ cniVersion: '1.0.0', name: 'later', type: 'bridge' }));
  writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
  const loaded = await loadConfDir(dir);
  assert.equal(loaded.file, path.join(dir, '10-user.conflist'));
  assert.equal(loaded.list.name, 'user');
  assert.deepEqual(loaded.skipped.map((s) => path.basename(s.file)), ['00-broken.conflist']);
  await assert.rejects(loadConfDir(path.join(dir, 'missing')), /no valid networks found/);
});
