import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupHierarchies, removeEmptyCgroup } from './cgroup-dirs.js';

test('a pod cgroup is removed from every hierarchy where it is empty, and kept where it is not', async () => {
  const root = mkdtempSync(join(tmpdir(), 'capstan-cgroups-'));
  try {
    const pod = '/kubepods/besteffort/pod1234';
    for (const h of ['memory', 'cpu', 'pids', 'unified', 'systemd']) mkdirSync(join(root, h, pod), { recursive: true });
    mkdirSync(join(root, 'pids', pod, 'container-still-there'));
    const hierarchies = await cgroupHierarchies(root);
    assert.deepEqual([...hierarchies].sort(), ['cpu', 'memory', 'pids', 'systemd', 'unified']);
    assert.deepEqual(hierarchies.slice(-2), ['unified', 'systemd'], 'the named trees come last');
    await removeEmptyCgroup(pod, root);
    for (const h of ['memory', 'cpu', 'unified', 'systemd']) assert.ok(!existsSync(join(root, h, pod)), `${h} removed`);
    assert.ok(existsSync(join(root, 'pids', pod)), 'a cgroup with a child stays');
    assert.ok(existsSync(join(root, 'memory', 'kubepods', 'besteffort')), 'the QoS parents stay');
    await removeEmptyCgroup(pod, root); // twice is fine
    await removeEmptyCgroup('/../../etc', root); // never leaves the hierarchy
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
