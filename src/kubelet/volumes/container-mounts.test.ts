import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { containerMounts, expandSubPathExpr, mountPropagation, type MountedVolume } from './container-mounts.js';
import { CreateContainerConfigError } from '../podspec/errors.js';

let root = '';
after(async () => { if (root) await rm(root, { recursive: true, force: true }); });

test('mounts: subPath created in the volume, subPathExpr from env, forced read-only, propagation', async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mounts-'));
  const data = path.join(root, 'data');
  const cfg = path.join(root, 'cfg');
  await mkdir(data, { mode: 0o777 });
  await mkdir(cfg);
  const volumes = new Map<string, MountedVolume>([
    ['data', { name: 'data', plugin: 'kubernetes.io~empty-dir', hostPath: data, mustMountReadOnly: false }],
    ['cfg', { name: 'cfg', plugin: 'kubernetes.io~configmap', hostPath: cfg, mustMountReadOnly: true }],
  ]);
  const mounts = await containerMounts({
    name: 'app',
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'data', mountPath: '/logs', subPathExpr: 'logs/$(POD_NAME)', mountPropagation: 'HostToContainer' },
      { name: 'data', mountPath: '/cache', subPath: 'cache', readOnly: true },
      { name: 'cfg', mountPath: '/etc/app' },
    ],
  }, volumes, [{ name: 'POD_NAME', value: 'web' }]);
  assert.deepEqual(mounts, [
    { containerPath: '/data', hostPath: data, readonly: false, propagation: 'private' },
    { containerPath: '/logs', hostPath: path.join(data, 'logs/web'), readonly: false, propagation: 'rslave' },
    { containerPath: '/cache', hostPath: path.join(data, 'cache'), readonly: true, propagation: 'private' },
    { containerPath: '/etc/app', hostPath: cfg, readonly: true, propagation: 'private' },
  ]);
  assert.equal((await stat(path.join(data, 'logs/web'))).isDirectory(), true);

  const fails = async (vm: Record<string, string>, message: string) => assert.rejects(
    containerMounts({ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/x', ...vm }] }, volumes, []),
    (e: unknown) => e instanceof CreateContainerConfigError && e.message === message, message);
  await fails({ subPath: '/abs' }, 'error SubPath `/abs` must not be an absolute path');
  await fails({ subPath: 'a/../../b' }, "unable to provision SubPath `a/../../b`: must not contain '..'");
  await fails({ name: 'nope' }, 'cannot find volume "nope" to mount into container "app"');
  await fails({ subPathExpr: '$(MISSING)/$(ALSO)' }, 'missing value for ALSO, MISSING');
  await symlink('/etc', path.join(data, 'escape'));
  await fails({ subPath: 'escape' }, 'failed to prepare subPath for volumeMount "data" of container "app"');
});

test('subPathExpr and propagation helpers', () => {
  assert.equal(expandSubPathExpr('$(A)-$$(A)', new Map([['A', 'x']])), 'x-$(A)');
  assert.throws(() => expandSubPathExpr('$(E)', new Map([['E', '']])), /missing value for E/);
  assert.equal(mountPropagation('Bidirectional'), 'rshared');
  assert.throws(() => mountPropagation('Sideways'), /invalid MountPropagation mode: "Sideways"/);
});
