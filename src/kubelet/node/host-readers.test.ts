// The readers against a fixture tree (root prefix) and, for statfs, the real temp filesystem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readHostIdentity, readHostSample } from './host-readers.js';

test('readHostSample and readHostIdentity read a host tree', async () => {
  const root = await mkdtemp(join(tmpdir(), 'capstan-host-'));
  try {
    const files: Record<string, string> = {
      '/sys/devices/system/cpu/online': '0-3\n',
      '/proc/meminfo': 'MemTotal: 8000 kB\nMemAvailable: 6000 kB\n',
      '/proc/sys/kernel/pid_max': '32768\n',
      '/proc/sys/kernel/threads-max': '100000\n',
      '/proc/loadavg': '0.00 0.01 0.05 1/200 99\n',
      '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages': '2\n',
      '/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages': '0\n',
      '/etc/machine-id': 'abc123\n',
      '/proc/sys/kernel/random/boot_id': 'boot-1\n',
      '/etc/os-release': 'PRETTY_NAME="Test OS 1"\n',
    };
    for (const [p, t] of Object.entries(files)) {
      await mkdir(dirname(join(root, p)), { recursive: true });
      await writeFile(join(root, p), t);
    }
    const s = await readHostSample(root, root);
    assert.equal(s.cpus, 4);
    assert.equal(s.memoryTotalBytes, 8000 * 1024);
    assert.equal(s.memoryAvailableBytes, 6000 * 1024);
    assert.equal(s.pidMax, 32768);
    assert.equal(s.threads, 200);
    assert.deepEqual(s.hugepages, { '1Gi': 0, '2Mi': 4 * 2 ** 20 });
    assert.ok(s.nodefs.capacityBytes > 0 && s.nodefs.availableBytes <= s.nodefs.capacityBytes);
    const id = await readHostIdentity(root);
    assert.equal(id.machineID, 'abc123');
    assert.equal(id.bootID, 'boot-1');
    assert.equal(id.systemUUID, '');
    assert.equal(id.osImage, 'Test OS 1');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
