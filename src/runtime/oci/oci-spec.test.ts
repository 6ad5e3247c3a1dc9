import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerConfig, ImageInfo } from '../runtime.js';
import { DEFAULT_CAPABILITIES, ALL_CAPABILITIES } from './capabilities.js';
import { buildOciSpec, containerCgroupsPath, DEFAULT_PATH, MASKED_PATHS, processArgs, processEnv, type SandboxSpecInput } from './oci-spec.js';

const image: ImageInfo = { id: 'sha256:1', repoTags: [], repoDigests: [], size: 0, layerDirs: ['/l'], entrypoint: ['/ep'], cmd: ['c1', 'c2'], env: ['PATH=/img', 'A=1'], workingDir: '/w' };
const sandbox: SandboxSpecInput = {
  netnsPath: '/run/x/netns/s', ipcnsPath: '/run/x/ipcns/s', utsnsPath: '/run/x/utsns/s',
  resolvConfPath: '/r/resolv.conf', hostsPath: '/r/hosts', hostnamePath: '/r/hostname', shmPath: '/run/x/shm/s',
  cgroupParent: '/kubepods/burstable/podu',
};
const user = { uid: 0, gid: 0, additionalGids: [] };

function spec(config: Partial<ContainerConfig>, sb: Partial<SandboxSpecInput> = {}) {
  return buildOciSpec({ containerId: 'cid', config: { name: 'c', image: 'i', ...config }, image, sandbox: { ...sandbox, ...sb }, user, rootfsPath: '/rootfs' });
}

describe('processArgs (Kubernetes command/args with the image Entrypoint/Cmd)', () => {
  it('uses the image when neither is given', () => assert.deepEqual(processArgs(undefined, undefined, ['/ep'], ['c']), ['/ep', 'c']));
  it('command replaces Entrypoint and drops Cmd', () => assert.deepEqual(processArgs(['/x'], undefined, ['/ep'], ['c']), ['/x']));
  it('args replace Cmd only', () => assert.deepEqual(processArgs(undefined, ['a'], ['/ep'], ['c']), ['/ep', 'a']));
  it('both replace both', () => assert.deepEqual(processArgs(['/x'], ['a'], ['/ep'], ['c']), ['/x', 'a']));
});

describe('processEnv', () => {
  it('image env first, config overrides in place, PATH defaults', () => {
    assert.deepEqual(processEnv(['A=1', 'B=2'], [{ name: 'A', value: 'x' }, { name: 'C', value: '3' }]), ['A=x', 'B=2', `PATH=${DEFAULT_PATH}`, 'C=3']);
    assert.deepEqual(processEnv(['PATH=/p'], []), ['PATH=/p']);
  });
});

describe('buildOciSpec', () => {
  it('joins the sandbox namespaces by path and makes new pid and mount namespaces', () => {
    const s = spec({});
    assert.deepEqual(s.linux.namespaces, [
      { type: 'mount' }, { type: 'network', path: '/run/x/netns/s' }, { type: 'ipc', path: '/run/x/ipcns/s' },
      { type: 'uts', path: '/run/x/utsns/s' }, { type: 'pid' },
    ]);
    assert.deepEqual(spec({}, { hostPid: true }).linux.namespaces.map((n: any) => n.type), ['mount', 'network', 'ipc', 'uts']);
    assert.deepEqual(spec({}, { pidnsPath: '/proc/9/ns/pid' }).linux.namespaces.at(-1), { type: 'pid', path: '/proc/9/ns/pid' });
    assert.deepEqual(spec({}, { netnsPath: undefined, utsnsPath: undefined }).linux.namespaces.map((n: any) => n.type), ['mount', 'ipc', 'pid']);
  });

  it('process: args, env, cwd, user, default capabilities', () => {
    const s = spec({ args: ['a'], env: [{ name: 'X', value: 'y' }] });
    assert.deepEqual(s.process.args, ['/ep', 'a']);
    assert.deepEqual(s.process.env, ['PATH=/img', 'A=1', 'X=y']);
    assert.equal(s.process.cwd, '/w');
    assert.equal(spec({ workingDir: '/other' }).process.cwd, '/other');
    assert.deepEqual(s.process.user, { uid: 0, gid: 0 });
    assert.deepEqual(s.process.capabilities.bounding, DEFAULT_CAPABILITIES);
    assert.equal(s.process.noNewPrivileges, false);
    assert.equal(s.process.terminal, false);
  });

  it('resources and the cgroup under the sandbox parent', () => {
    const s = spec({ resources: { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 1 << 20, oomScoreAdj: 999 } });
    assert.deepEqual(s.linux.resources.cpu, { shares: 512, quota: 50000, period: 100000 });
    assert.deepEqual(s.linux.resources.memory, { limit: 1 << 20 });
    assert.equal(s.process.oomScoreAdj, 999);
    assert.equal(s.linux.cgroupsPath, '/kubepods/burstable/podu/cid');
    assert.equal(spec({ resources: { cpuQuota: -1, memoryLimitInBytes: 0 } }).linux.resources.memory, undefined);
    assert.equal(containerCgroupsPath(undefined, 'x'), '/capstan/x');
  });

  it('standard mounts, the sandbox files, and binds with propagation', () => {
    const s = spec({ mounts: [{ containerPath: '/data', hostPath: '/h', readonly: true, propagation: 'rslave' }] });
    const dests = s.mounts.map((m: any) => m.destination);
    for (const d of ['/proc', '/dev', '/dev/pts', '/dev/mqueue', '/sys', '/sys/fs/cgroup', '/dev/shm', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname', '/data']) assert.ok(dests.includes(d), d);
    assert.deepEqual(s.mounts.find((m: any) => m.destination === '/data').options, ['rbind', 'rslave', 'ro']);
    assert.equal(s.mounts.find((m: any) => m.destination === '/dev/shm').source, '/run/x/shm/s');
    assert.ok(s.mounts.find((m: any) => m.destination === '/sys').options.includes('ro'));
    assert.deepEqual(s.linux.maskedPaths, MASKED_PATHS);
    const own = spec({ mounts: [{ containerPath: '/etc/hosts', hostPath: '/mine' }] });
    assert.equal(own.mounts.filter((m: any) => m.destination === '/etc/hosts').length, 1);
  });

  it('security: readonly rootfs, noNewPrivs, caps, privileged', () => {
    const s = spec({ securityContext: { readonlyRootfs: true, noNewPrivs: true, capabilities: { drop: ['ALL'], add: ['net_bind_service'] } } });
    assert.equal(s.root.readonly, true);
    assert.equal(s.process.noNewPrivileges, true);
    assert.deepEqual(s.process.capabilities.effective, ['CAP_NET_BIND_SERVICE']);
    const p = spec({ securityContext: { privileged: true } });
    assert.deepEqual(p.process.capabilities.bounding, ALL_CAPABILITIES);
    assert.equal(p.linux.maskedPaths, undefined);
    assert.equal(p.linux.readonlyPaths, undefined);
    assert.deepEqual(p.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    assert.ok(p.mounts.find((m: any) => m.destination === '/sys').options.includes('rw'));
  });

  it('a tty and the sandbox sysctls', () => {
    const s = spec({ tty: true }, { sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' } });
    assert.equal(s.process.terminal, true);
    assert.deepEqual(s.linux.sysctl, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  });

  it('refuses an empty command', () => {
    assert.throws(() => buildOciSpec({ containerId: 'x', config: { name: 'c', image: 'i' }, image: { ...image, entrypoint: undefined, cmd: undefined }, sandbox, user, rootfsPath: '/r' }), /no command/);
  });
});
