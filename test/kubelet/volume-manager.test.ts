// The VolumeManager on a real filesystem: tmpfs mounts for memory-backed volumes, atomic
// configMap updates, modes and fsGroup ownership, hostPath types, claims, teardown. Needs root
// (mount); everything it creates lives under one temp directory, unmounted and removed in `after`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, rm, stat, statfs, readdir, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '../../src/api/index.js';
import { VolumeManager, VolumeSetupError, MemoryObjectSource } from '../../src/kubelet/index.js';

const isRoot = process.getuid?.() === 0;

function mountPointsUnder(root: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')[4]!).filter((p) => p.startsWith(`${root}/`));
}

function mountFsType(p: string): string | undefined {
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).reverse().find((l) => l.split(' ')[4] === p);
  if (!line) return undefined;
  return line.split(' - ')[1]!.split(' ')[0];
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('VolumeManager (root)', { skip: !isRoot && 'needs root' }, () => {
  let root = '';
  let podsDir = '';
  let objects: MemoryObjectSource;
  let manager: VolumeManager;
  const events: string[] = [];

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'capstan-volumes-'));
    podsDir = path.join(root, 'pods');
    await mkdir(podsDir);
    objects = new MemoryObjectSource([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'shop', name: 'cfg' }, data: { 'app.conf': 'v=1', other: 'o' } } as never,
      { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'shop', name: 'creds' }, data: { user: b64('admin'), pw: b64('pw1') } } as never,
    ]);
    manager = new VolumeManager({ podsDir, objects, allocatable: { cpu: '2', memory: '1Gi' }, recordEvent: (_p, _t, reason, message) => events.push(`${reason}: ${message}`) });
  });

  after(async () => {
    // Unmount whatever a failed test left, then remove the tree.
    for (const p of mountPointsUnder(root).sort((a, b) => b.length - a.length)) {
      try { await import('node:child_process').then((cp) => cp.execFileSync('umount', [p])); } catch { /* already gone */ }
    }
    if (root && mountPointsUnder(root).length === 0) await rm(root, { recursive: true, force: true });
  });

  function pod(uid: string, volumes: NonNullable<Pod['spec']>['volumes'], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
    return {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid, labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', resources: { limits: { memory: '256Mi' } } }], volumes, ...extra },
    } as Pod;
  }

  test('emptyDir on disk (0777) and medium Memory as a tmpfs sized by sizeLimit; tearDown unmounts and removes', async () => {
    const p = pod('uid-empty', [{ name: 'scratch', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, { name: 'mem2', emptyDir: { medium: 'Memory' } }]);
    const vols = await manager.setUp(p);
    const scratch = path.join(podsDir, 'uid-empty/volumes/kubernetes.io~empty-dir/scratch');
    const mem = path.join(podsDir, 'uid-empty/volumes/kubernetes.io~empty-dir/mem');
    const mem2 = path.join(podsDir, 'uid-empty/volumes/kubernetes.io~empty-dir/mem2');
    assert.equal(vols.get('scratch')!.hostPath, scratch);
    assert.equal((await stat(scratch)).mode & 0o777, 0o777);
    assert.equal(mountFsType(scratch), undefined);
    assert.equal(mountFsType(mem), 'tmpfs');
    const fs = await statfs(mem);
    assert.equal(fs.blocks * fs.bsize, 16 * 1024 * 1024);
    const fs2 = await statfs(mem2);
    assert.equal(fs2.blocks * fs2.bsize, 256 * 1024 * 1024, 'without sizeLimit: the pod memory limit');
    await manager.setUp(p);
    assert.equal(mountPointsUnder(path.join(podsDir, 'uid-empty')).length, 2, 'setUp again mounts nothing twice');
    await manager.tearDown('uid-empty');
    assert.deepEqual(mountPointsUnder(path.join(podsDir, 'uid-empty')), []);
    await assert.rejects(stat(path.join(podsDir, 'uid-empty')));
    await manager.tearDown('uid-empty');
  });

  test('emptyDir with fsGroup: group-owned, setgid, group-writable; concurrent setUp calls mount once', async () => {
    const p = pod('uid-fsg', [{ name: 'm', emptyDir: { medium: 'Memory' } }], { securityContext: { fsGroup: 1234 } });
    await Promise.all([manager.setUp(p), manager.setUp(p), manager.update(p)]);
    const dir = path.join(podsDir, 'uid-fsg/volumes/kubernetes.io~empty-dir/m');
    const st = await stat(dir);
    assert.equal(st.gid, 1234);
    assert.equal(st.mode & 0o2000, 0o2000);
    assert.equal(st.mode & 0o777, 0o777);
    assert.equal(mountPointsUnder(path.join(podsDir, 'uid-fsg')).length, 1);
    await manager.tearDown('uid-fsg');
  });

  test('secret on tmpfs with items and modes; configMap with defaultMode; fsGroup owns them read-only', async () => {
    const p = pod('uid-sec', [
      { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400, items: [{ key: 'user', path: 'id/user' }, { key: 'pw', path: 'pw', mode: 0o440 }] } },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 0o640 } },
    ], { securityContext: { fsGroup: 4321 } });
    const vols = await manager.setUp(p);
    const creds = vols.get('creds')!.hostPath;
    assert.equal(creds, path.join(podsDir, 'uid-sec/volumes/kubernetes.io~secret/creds'));
    assert.equal(vols.get('creds')!.mustMountReadOnly, true);
    assert.equal(mountFsType(creds), 'tmpfs');
    assert.equal(await readFile(path.join(creds, 'id/user'), 'utf8'), 'admin');
    const user = await stat(path.join(creds, 'id/user'));
    assert.equal(user.mode & 0o777, 0o440, '0400 plus the fsGroup read bit');
    assert.equal(user.gid, 4321);
    assert.equal((await stat(path.join(creds, 'pw'))).mode & 0o777, 0o440);
    const cfg = vols.get('cfg')!.hostPath;
    assert.equal(mountFsType(cfg), undefined, 'configMaps live on disk');
    assert.equal(await readFile(path.join(cfg, 'app.conf'), 'utf8'), 'v=1');
    assert.equal((await stat(path.join(cfg, 'app.conf'))).mode & 0o777, 0o640);
    assert.equal(await readlink(path.join(cfg, 'app.conf')), '..data/app.conf');
    await manager.tearDown('uid-sec');
    assert.deepEqual(mountPointsUnder(path.join(podsDir, 'uid-sec')), []);
  });

  test('configMap update: readers see the old or the new content, never a mix', async () => {
    const big = (v: number) => `${v}`.repeat(32 * 1024);
    const put = (v: number) => objects.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'shop', name: 'live' }, data: { a: big(v), b: big(v) } } as never);
    put(0);
    const p = pod('uid-live', [{ name: 'live', configMap: { name: 'live' } }]);
    const dir = (await manager.setUp(p)).get('live')!.hostPath;
    let done = false;
    let reads = 0;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!done) {
        let a: string; let b: string;
        try {
          const ts = await readlink(path.join(dir, '..data'));
          [a, b] = await Promise.all([readFile(path.join(dir, ts, 'a'), 'utf8'), readFile(path.join(dir, ts, 'b'), 'utf8')]);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        reads++;
        assert.equal(a, b);
        assert.equal(a.length, 32 * 1024);
        seen.add(a[0]!);
        const direct = await readFile(path.join(dir, 'a'), 'utf8').catch(() => undefined);
        if (direct !== undefined) assert.ok(direct === big(Number(direct[0])), 'a whole version through the user-visible link');
      }
    })();
    for (let v = 1; v <= 6; v++) { put(v); await manager.update(p); }
    while (reads < 20) await new Promise((r) => setImmediate(r));
    done = true;
    await reader;
    assert.equal((await readFile(path.join(dir, 'a'), 'utf8'))[0], '6');
    assert.ok(seen.size >= 1);
    assert.equal((await readdir(dir)).filter((n) => n.startsWith('..2')).length, 1, 'old payload directories are removed');
    await manager.tearDown('uid-live');
  });

  test('downwardAPI and projected (serviceAccountToken skipped with an event)', async () => {
    events.length = 0;
    const p = pod('uid-proj', [
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } }] } },
      { name: 'api', projected: { defaultMode: 0o444, sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
        { configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
        { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } },
      ] } },
    ]);
    const vols = await manager.setUp(p);
    const info = vols.get('info')!.hostPath;
    assert.equal(await readFile(path.join(info, 'labels'), 'utf8'), 'app="web"');
    assert.equal(await readFile(path.join(info, 'mem'), 'utf8'), '256');
    const api = vols.get('api')!.hostPath;
    assert.equal(api, path.join(podsDir, 'uid-proj/volumes/kubernetes.io~projected/api'));
    assert.equal(mountFsType(api), 'tmpfs');
    assert.deepEqual((await readdir(api)).filter((n) => !n.startsWith('..')).sort(), ['ca.crt', 'namespace', 'user']);
    assert.equal(await readFile(path.join(api, 'namespace'), 'utf8'), 'shop');
    assert.equal((await stat(path.join(api, 'user'))).mode & 0o777, 0o444);
    assert.equal(events.filter((e) => e.includes('serviceAccountToken (token) skipped')).length, 1);
    await manager.update(p);
    assert.equal(events.filter((e) => e.includes('serviceAccountToken')).length, 1, 'reported once');
    await manager.tearDown('uid-proj');
  });

  test('failures name the volume with upstream messages; optional sources do not fail', async () => {
    const missingDir = path.join(root, 'no-such-dir');
    const p = pod('uid-fail', [
      { name: 'cm', configMap: { name: 'nope' } },
      { name: 'opt', configMap: { name: 'nope', optional: true } },
      { name: 'sec', secret: { secretName: 'nope' } },
      { name: 'host', hostPath: { path: missingDir, type: 'Directory' } },
    ]);
    await assert.rejects(manager.setUp(p), (err: unknown) => {
      assert.ok(err instanceof VolumeSetupError);
      assert.deepEqual(err.failures.map((f) => f.message), [
        'MountVolume.SetUp failed for volume "cm" : configmap "nope" not found',
        'MountVolume.SetUp failed for volume "sec" : secret "nope" not found',
        `MountVolume.SetUp failed for volume "host" : hostPath type check failed: ${missingDir} is not a directory`,
      ]);
      return true;
    });
    assert.deepEqual([...manager.volumesFor('uid-fail').keys()], ['opt']);
    await manager.tearDown('uid-fail');
  });

  test('hostPath DirectoryOrCreate and claims bound to hostPath and local volumes', async () => {
    const hostDir = path.join(root, 'host/data');
    const localDir = path.join(root, 'local');
    await mkdir(localDir);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { namespace: 'shop', name: 'pending' }, spec: {}, status: { phase: 'Pending' } } as never);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { namespace: 'shop', name: 'data' }, spec: { volumeName: 'pv-host' }, status: { phase: 'Bound' } } as never);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { namespace: 'shop', name: 'fast' }, spec: { volumeName: 'pv-local' }, status: { phase: 'Bound' } } as never);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-host' }, spec: { hostPath: { path: path.join(root, 'pv'), type: 'DirectoryOrCreate' }, claimRef: { namespace: 'shop', name: 'data' } } } as never);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-local' }, spec: { local: { path: localDir }, claimRef: { namespace: 'shop', name: 'fast' } } } as never);
    const p = pod('uid-claims', [
      { name: 'h', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'fast', persistentVolumeClaim: { claimName: 'fast', readOnly: true } },
    ]);
    const vols = await manager.setUp(p);
    assert.equal((await stat(hostDir)).isDirectory(), true);
    assert.deepEqual(vols.get('h'), { name: 'h', plugin: 'kubernetes.io~host-path', hostPath: hostDir, mustMountReadOnly: false });
    assert.equal(vols.get('data')!.hostPath, path.join(root, 'pv'));
    assert.deepEqual(vols.get('fast'), { name: 'fast', plugin: 'kubernetes.io~local-volume', hostPath: localDir, mustMountReadOnly: true });
    await assert.rejects(manager.setUp(pod('uid-claims2', [{ name: 'w', persistentVolumeClaim: { claimName: 'pending' } }, { name: 'm', persistentVolumeClaim: { claimName: 'missing' } }])), {
      message: 'MountVolume.SetUp failed for volume "w" : error processing PVC shop/pending: PVC is not bound; '
        + 'MountVolume.SetUp failed for volume "m" : error processing PVC shop/missing: failed to fetch PVC from API server: persistentvolumeclaims "missing" not found',
    });
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { namespace: 'shop', name: 'web-eph' }, spec: { volumeName: 'pv-free' }, status: { phase: 'Bound' } } as never);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-free' }, spec: { hostPath: { path: root } } } as never);
    objects.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { namespace: 'shop', name: 'loose' }, spec: { volumeName: 'pv-free' }, status: { phase: 'Bound' } } as never);
    await assert.rejects(manager.setUp(pod('uid-claims3', [{ name: 'eph', ephemeral: { volumeClaimTemplate: { spec: {} } } }, { name: 'l', persistentVolumeClaim: { claimName: 'loose' } }])), {
      message: 'MountVolume.SetUp failed for volume "eph" : PVC shop/web-eph was not created for pod shop/web (pod is not owner); '
        + 'MountVolume.SetUp failed for volume "l" : error processing PVC shop/loose: found PV object pv-free but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim',
    });
    await manager.tearDown('uid-claims');
    await manager.tearDown('uid-claims2');
    await manager.tearDown('uid-claims3');
    assert.equal((await stat(hostDir)).isDirectory(), true, 'tearDown never touches host paths');
  });

  test('cleanupOrphans tears down pods that are no longer known', async () => {
    await manager.setUp(pod('uid-keep', [{ name: 'm', emptyDir: { medium: 'Memory' } }]));
    await manager.setUp(pod('uid-gone', [{ name: 'm', emptyDir: { medium: 'Memory' } }]));
    assert.deepEqual(await manager.cleanupOrphans(['uid-keep']), ['uid-gone']);
    assert.deepEqual(await readdir(podsDir), ['uid-keep']);
    await manager.tearDown('uid-keep');
    assert.deepEqual(mountPointsUnder(root), []);
  });
});
