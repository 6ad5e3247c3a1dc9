// OciRuntime's containers against real conmon and runc/crun: logs, exit codes, process settings,
// security, limits, stopping, surviving the kubelet, log reopening.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OciRuntime } from '../../src/runtime/index.js';
import { poll } from '../support/poll.js';
import { busyboxImages } from './busybox-image.js';
import { ctr, helperArgs, ociSuite } from './oci-suite.js';

ociSuite('OciRuntime containers', (oci, runtime) => {
  it('reports its version', () => {
    assert.equal(oci.rt.version().runtimeName, runtime);
    assert.match(oci.rt.version().runtimeVersion, /^\d+\.\d+/);
  });

  it('logs stdout and stderr in the CRI format and records exit codes', async () => {
    const sb = await oci.sandbox('logger');
    const { status, log } = await oci.runToExit(sb, ctr('printer', ['sh', '-c', 'echo hello; echo oops >&2; printf partial; exit 3']));
    assert.equal(status.exitCode, 3);
    assert.equal(status.reason, 'Error');
    assert.ok(status.finishedAt! >= status.startedAt! && status.startedAt! >= status.createdAt);
    assert.ok(status.id.startsWith(`${runtime}://`));
    const lines = log.trimEnd().split('\n');
    const re = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)) (stdout|stderr) ([PF]) (.*)$/;
    const parsed = lines.map((l) => re.exec(l)).map((m) => m && { stream: m[3], tag: m[4], text: m[5] });
    assert.ok(parsed.every(Boolean), log);
    assert.deepEqual(parsed.filter((p) => p!.stream === 'stdout'), [{ stream: 'stdout', tag: 'F', text: 'hello' }, { stream: 'stdout', tag: 'P', text: 'partial' }]);
    assert.deepEqual(parsed.filter((p) => p!.stream === 'stderr'), [{ stream: 'stderr', tag: 'F', text: 'oops' }]);
    const ok = await oci.runToExit(sb, ctr('ok', ['true']));
    assert.equal(ok.status.exitCode, 0);
    assert.equal(ok.status.reason, 'Completed');
    await oci.rt.stopPodSandbox(sb);
    await oci.rt.removePodSandbox(sb);
    assert.equal(await oci.rt.podSandboxStatus(sb), undefined);
    assert.deepEqual(await oci.rt.listContainers({ sandboxId: sb }), []);
  });

  it('applies env, args, cwd and user', async () => {
    const sb = await oci.sandbox('envs');
    const { status, log } = await oci.runToExit(sb, ctr('env', ['sh', '-c'], {
      args: ['echo "$FROM_IMAGE $MINE $PATH"; pwd; id -u; id -g; id -G; echo "$0 $1"', 'zero', 'one'],
      env: [{ name: 'MINE', value: 'mine' }], workingDir: '/tmp',
      securityContext: { runAsUser: 1000, supplementalGroups: [3000] },
    }));
    assert.equal(status.exitCode, 0, log);
    const out = log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
    assert.deepEqual(out, ['1 mine /bin', '/tmp', '1000', '1000', '1000 2000 3000', 'zero one']);
    const named = await oci.runToExit(sb, ctr('named', ['id', '-u'], { securityContext: { runAsUsername: 'nobody' } }));
    assert.match(named.log, / F 65534$/m);
    await oci.rt.removePodSandbox(sb);
  });

  it('bind-mounts volumes, read-only when asked', async () => {
    const sb = await oci.sandbox('volumes');
    const vol = path.join(path.dirname(oci.root), 'vol');
    await mkdir(vol, { recursive: true });
    await writeFile(path.join(vol, 'data'), 'from the host\n');
    const { status, log } = await oci.runToExit(sb, ctr('v', ['sh', '-c', 'cat /ro/data; touch /ro/x || echo ro-refused; touch /rw/y && echo rw-ok'], {
      mounts: [{ containerPath: '/ro', hostPath: vol, readonly: true }, { containerPath: '/rw', hostPath: vol, propagation: 'rslave' }],
    }));
    assert.equal(status.exitCode, 0, log);
    assert.match(log, /F from the host$/m);
    assert.match(log, /F ro-refused$/m);
    assert.match(log, /F rw-ok$/m);
    assert.ok(existsSync(path.join(vol, 'y')));
    await oci.rt.removePodSandbox(sb);
  });

  it('makes the rootfs read-only and drops capabilities', async () => {
    const sb = await oci.sandbox('secure');
    const ro = await oci.runToExit(sb, ctr('ro', ['touch', '/x'], { securityContext: { readonlyRootfs: true } }));
    assert.notEqual(ro.status.exitCode, 0);
    assert.match(ro.log, /Read-only file system/);
    const rw = await oci.runToExit(sb, ctr('rw', ['touch', '/x']));
    assert.equal(rw.status.exitCode, 0);
    const caps = await oci.runToExit(sb, ctr('caps', ['sh', '-c', 'grep CapEff /proc/self/status; hostname other'], {
      securityContext: { capabilities: { drop: ['ALL'] } },
    }));
    assert.match(caps.log, /CapEff:\s+0000000000000000/);
    const chown = await oci.runToExit(sb, ctr('chown', ['sh', '-c', 'touch /tmp/f && chown 5 /tmp/f'], {
      securityContext: { capabilities: { drop: ['CHOWN'] } },
    }));
    assert.notEqual(chown.status.exitCode, 0);
    await oci.rt.removePodSandbox(sb);
  });

  it('OOM-kills over the memory limit (OOMKilled, 137) and applies the CPU quota', async () => {
    const sb = await oci.sandbox('limits', { cgroupParent: `/capstan-test-${runtime}` });
    const oom = await oci.runToExit(sb, ctr('hog', ['sh', '-c', 'x=a; while true; do x=$x$x; done'], {
      resources: { memoryLimitInBytes: 16 * 1024 * 1024 },
    }));
    assert.equal(oom.status.exitCode, 137);
    assert.equal(oom.status.reason, 'OOMKilled');
    const id = await oci.create(sb, ctr('cpu', ['sleep', '60'], { resources: { cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512, oomScoreAdj: 500 } }));
    await oci.rt.startContainer(id);
    const pid = (await oci.rt.containerStatus(id))!.pid!;
    assert.equal((await readFile(`/proc/${pid}/oom_score_adj`, 'utf8')).trim(), '500');
    const bare = id.split('://')[1];
    assert.equal((await readFile(`/sys/fs/cgroup/cpu/capstan-test-${runtime}/${bare}/cpu.cfs_quota_us`, 'utf8')).trim(), '50000');
    assert.equal((await readFile(`/sys/fs/cgroup/cpu/capstan-test-${runtime}/${bare}/cpu.shares`, 'utf8')).trim(), '512');
    const stats = await oci.rt.containerStats(id);
    assert.ok(stats && stats.memoryUsageBytes > 0 && stats.cpuUsageCoreNanoSeconds > 0);
    assert.ok(stats.memoryWorkingSetBytes <= stats.memoryUsageBytes);
    await oci.rt.removePodSandbox(sb);
    assert.ok(!existsSync(`/sys/fs/cgroup/memory/capstan-test-${runtime}/${bare}`), 'removeContainer removes the cgroup');
  });

  it('stops with SIGTERM, then SIGKILL after the timeout', async () => {
    const sb = await oci.sandbox('stopper');
    const polite = await oci.create(sb, ctr('polite', ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done']));
    await oci.rt.startContainer(polite);
    await poll('running', () => oci.rt.containerStatus(polite), (s) => s?.state === 'running', 10_000, 20);
    // The trap is set once the shell has run its first loop iteration (a child sleep exists).
    await poll('trap set', () => oci.rt.execSync(polite, ['ps'], 10_000), (r) => r.stdout.toString().includes('sleep 0.1'), 10_000, 20);
    await oci.rt.stopContainer(polite, 10);
    const ps = await oci.rt.containerStatus(polite);
    assert.equal(ps?.state, 'exited');
    assert.equal(ps?.exitCode, 0);
    const stubborn = await oci.create(sb, ctr('stubborn', ['sh', '-c', 'trap "echo ignored" TERM; while true; do sleep 0.1; done']));
    await oci.rt.startContainer(stubborn);
    await poll('trap set', () => oci.rt.execSync(stubborn, ['ps'], 10_000), (r) => r.stdout.toString().includes('sleep 0.1'), 10_000, 20);
    const t0 = Date.now();
    await oci.rt.stopContainer(stubborn, 1);
    assert.ok(Date.now() - t0 >= 1000);
    const ss = await oci.rt.containerStatus(stubborn);
    assert.equal(ss?.exitCode, 137);
    assert.equal(ss?.reason, 'Error');
    await oci.rt.stopContainer(stubborn, 1);
    await oci.rt.removeContainer(stubborn);
    await oci.rt.removeContainer(stubborn);
    assert.equal(await oci.rt.containerStatus(stubborn), undefined);
    await oci.rt.removePodSandbox(sb);
  });

  it('a missing command fails createContainer and leaves nothing behind', async () => {
    const sb = await oci.sandbox('broken');
    await assert.rejects(oci.rt.createContainer(sb, ctr('nope', ['/does/not/exist'])), /does\/not\/exist|no such file/i);
    assert.deepEqual(await oci.rt.listContainers({ sandboxId: sb }), []);
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    assert.ok(!mounts.includes(path.join(oci.root, 'containers')), 'no rootfs left mounted');
    await oci.rt.removePodSandbox(sb);
  });

  it('a new OciRuntime over the same root re-adopts running containers', async () => {
    const sb = await oci.sandbox('adopt');
    const id = await oci.create(sb, ctr('main', ['sh', '-c', 'while true; do echo tick; sleep 0.2; done']));
    await oci.rt.startContainer(id);
    const before = await oci.rt.containerStatus(id);
    const again = new OciRuntime({ root: oci.root, runDir: oci.runDir, runtime, images: busyboxImages(oci.layer) });
    const after = await again.containerStatus(id);
    assert.equal(after?.state, 'running');
    assert.equal(after?.pid, before?.pid);
    assert.deepEqual((await again.listPodSandbox()).map((s) => s.id).filter((x) => x === sb), [sb]);
    assert.ok((await again.listContainers({ sandboxId: sb })).some((c) => c.id === id));
    const r = await again.execSync(id, ['echo', 'still here'], 10_000);
    assert.equal(r.stdout.toString(), 'still here\n');
    await again.removePodSandbox(sb);
  });
  it('containers keep running and logging after the process that started them exits', async () => {
    const out = execFileSync(process.execPath, [...helperArgs('start-and-exit'), oci.root, oci.runDir, runtime, oci.layer, path.join(oci.logs, 'survivor')], { encoding: 'utf8' });
    const { sandboxId, containerId, pid } = JSON.parse(out.trim().split('\n').at(-1)!);
    oci.created.push(containerId.split('://')[1]);
    const again = new OciRuntime({ root: oci.root, runDir: oci.runDir, runtime, images: busyboxImages(oci.layer) });
    const st = await again.containerStatus(containerId);
    assert.equal(st?.state, 'running');
    assert.equal(st?.pid, pid);
    const size = (await readFile(st!.logPath!)).length;
    await poll('the log grows', async () => (await readFile(st!.logPath!)).length, (n) => n > size, 10_000, 20);
    await again.stopPodSandbox(sandboxId);
    await again.removePodSandbox(sandboxId);
    assert.equal(await again.podSandboxStatus(sandboxId), undefined);
  });

  it('a container whose monitor was killed is reported exited with an unknown code', async () => {
    const sb = await oci.sandbox('orphan');
    const id = await oci.create(sb, ctr('main', ['sleep', '3600']));
    await oci.rt.startContainer(id);
    const st = await oci.rt.containerStatus(id);
    const conmonPid = Number(await readFile(path.join(oci.root, 'containers', id.split('://')[1]!, 'conmon.pid'), 'utf8'));
    process.kill(conmonPid, 'SIGKILL');
    process.kill(st!.pid!, 'SIGKILL');
    const done = await poll('exited', () => oci.rt.containerStatus(id), (s) => s?.state === 'exited', 10_000, 20);
    assert.equal(done?.exitCode, 255);
    assert.equal(done?.reason, 'Error');
    assert.match(done!.message!, /monitor ended/);
    await oci.rt.removePodSandbox(sb);
  });

  it('privileged: every capability and the host devices', async () => {
    const sb = await oci.sandbox('priv');
    const { status, log } = await oci.runToExit(sb, ctr('p', ['sh', '-c', 'grep CapEff /proc/self/status; ls /dev/loop-control /dev/null && mount -t tmpfs t /mnt && echo mounted'], {
      securityContext: { privileged: true },
    }));
    assert.equal(status.exitCode, 0, log);
    const own = /^CapBnd:\s*([0-9a-f]+)/m.exec(await readFile('/proc/self/status', 'utf8'))![1];
    assert.match(log, new RegExp(`CapEff:\\s+${own}`), 'the runtime\'s own capabilities');
    assert.match(log, /mounted/);
    await oci.rt.removePodSandbox(sb);
  });

  it('reopens the log file after rotation', async () => {
    const sb = await oci.sandbox('rotate');
    const id = await oci.create(sb, ctr('ticker', ['sh', '-c', 'while true; do echo tick; sleep 0.05; done']));
    await oci.rt.startContainer(id);
    const st = await oci.rt.containerStatus(id);
    await poll('logged', () => readFile(st!.logPath!, 'utf8'), (t) => t.includes('tick'), 10_000, 20);
          await rename(st!.logPath!, `${st!.logPath!}.1`);
    await oci.rt.reopenContainerLog(id);
    await poll('new file', () => readFile(st!.logPath!, 'utf8').catch(() => ''), (t) => t.includes('tick'), 10_000, 20);
    await oci.rt.removePodSandbox(sb);
  });
});
