import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKillAll } from './killall.js';

test('capstan killall removes the runtime\'s state under --data-dir and --run-dir', async () => {
  const base = mkdtempSync(join(tmpdir(), 'capstan-killall-'));
  try {
    const dataDir = join(base, 'data');
    const runDir = join(base, 'run');
    mkdirSync(join(dataDir, 'agent', 'containers', 'sandboxes'), { recursive: true });
    mkdirSync(join(dataDir, 'server'), { recursive: true });
    writeFileSync(join(dataDir, 'server', 'keep'), '');
    mkdirSync(join(runDir, 'sockets'), { recursive: true });
    const written: string[] = [];
    await runKillAll(['--data-dir', dataDir, '--run-dir', runDir, '--bridge', ''], { write: (w: string) => written.push(w) });
    assert.deepEqual(written, ['killall: 0 containers, 0 sandboxes\n']);
    assert.ok(!existsSync(join(dataDir, 'agent', 'containers')));
    assert.ok(!existsSync(runDir));
    assert.ok(existsSync(join(dataDir, 'server', 'keep')), 'the server\'s state is not the runtime\'s');
    await assert.rejects(runKillAll(['--bogus']), /Unknown option/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('capstan killall unmounts the pods\' volume tmpfs mounts under --data-dir', { skip: process.getuid?.() === 0 ? false : 'needs root' }, async () => {
  const base = mkdtempSync(join(tmpdir(), 'capstan-killall-'));
  const volume = join(base, 'data', 'agent', 'pods', 'uid-1', 'volumes', 'kubernetes.io~secret', 's');
  const mounted = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === volume);
  try {
    mkdirSync(volume, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', volume]);
    assert.ok(mounted());
    await runKillAll(['--data-dir', join(base, 'data'), '--run-dir', join(base, 'run'), '--bridge', ''], { write: () => undefined });
    assert.ok(!mounted(), 'the volume is unmounted');
  } finally {
    if (mounted()) execFileSync('umount', [volume]);
    rmSync(base, { recursive: true, force: true });
  }
});
