// OciRuntime against the real conmon, runc and crun (root; namespaces, mounts, cgroups). Each
// suite owns a temporary root and run directory and ends with killAll, which must leave no
// mount, cgroup or process behind, whatever happened in the tests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OciRuntime, killAll, type ContainerConfig, type ContainerStatus, type PodSandboxConfig } from '../../src/runtime/index.js';
import { poll } from '../support/poll.js';
import { DummyNetwork } from './dummy-network.js';
import { BUSYBOX_IMAGE, buildBusyboxLayer, busyboxAvailable, busyboxImages } from './busybox-image.js';

const CGROUP_HIERARCHIES = ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'hugetlb', 'memory', 'net_cls', 'net_prio', 'perf_event', 'pids', 'systemd', 'unified'];
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'needs root' : !busyboxAvailable ? 'needs busybox-static' : false;

/** Node arguments that run a sibling helper script, compiled (`.js`, under dist) or from source (`.ts`, through tsx). */
function helperArgs(name: string): string[] {
  const self = fileURLToPath(import.meta.url);
  const ext = path.extname(self);
  const file = path.join(path.dirname(self), `${name}${ext}`);
  return ext === '.ts' ? ['--import', 'tsx', file] : [file];
}

function pod(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    name, namespace: 'default', uid: `uid-${name}`, hostname: name,
    dnsConfig: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    ...extra,
  };
}

function ctr(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, image: BUSYBOX_IMAGE, command, logPath: `${name}/0.log`, ...extra };
}

const RUNTIMES = (process.env.CAPSTAN_TEST_OCI_RUNTIMES ?? 'runc,crun').split(',') as ('runc' | 'crun')[];

for (const runtime of RUNTIMES) {
  describe(`OciRuntime (${runtime})`, { skip, concurrency: false }, () => {
    let root: string;
    let runDir: string;
    let logs: string;
    let rt: OciRuntime;
    let layer: string;

    before(async () => {
      const base = await mkdtemp(path.join(os.tmpdir(), `oci-${runtime}-`));
      root = path.join(base, 'root');
      logs = path.join(base, 'logs');
      layer = await buildBusyboxLayer(path.join(base, 'layer'));
      runDir = await mkdtemp(`/run/capstan-t${runtime[0]}-`);
      rt = new OciRuntime({ root, runDir, runtime, images: busyboxImages(layer) });
      await rt.init();
    });

    after(async () => {
      const report = await killAll({ root, runDir });
      await rm(path.dirname(root), { recursive: true, force: true });
      for (const h of CGROUP_HIERARCHIES) await rmdir(`/sys/fs/cgroup/${h}/capstan-test-${runtime}`).catch(() => {});
      assert.deepEqual(report.errors, []);
      await assertNothingLeft();
    });

    /** No mount, cgroup or process of this suite's containers and sandboxes remains. */
    async function assertNothingLeft(): Promise<void> {
      const mounts = await readFile('/proc/self/mountinfo', 'utf8');
      assert.ok(!mounts.includes(root) && !mounts.includes(runDir), 'no mounts left');
      for (const id of created) {
        for (const parent of ['capstan', `capstan-test-${runtime}`]) {
          assert.ok(!existsSync(`/sys/fs/cgroup/memory/${parent}/${id}`), `cgroup of ${id} removed`);
          assert.ok(!existsSync(`/sys/fs/cgroup/pids/${parent}/${id}`), `cgroup of ${id} removed`);
        }
      }
      for (const pid of await readdir('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        assert.ok(!cmdline.includes(root) && !cmdline.includes(runDir), `process ${pid} left: ${cmdline}`);
      }
      for (const pid of pids) assert.ok(!existsSync(`/proc/${pid}/ns`) || (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')) === '', `container process ${pid} ended`);
    }

    async function sandbox(name: string, extra: Partial<PodSandboxConfig> = {}): Promise<string> {
      return rt.runPodSandbox(pod(name, { logDirectory: path.join(logs, name), ...extra }));
    }

    const created: string[] = [];
    const pids: number[] = [];
    async function create(sb: string, config: ContainerConfig): Promise<string> {
      const id = await rt.createContainer(sb, config);
      created.push(id.split('://')[1]!);
      const st = await rt.containerStatus(id);
      if (st?.pid) pids.push(st.pid);
      return id;
    }

    async function runToExit(sb: string, config: ContainerConfig): Promise<{ status: ContainerStatus; log: string }> {
      const id = await create(sb, config);
      await rt.startContainer(id);
      const status = await poll('container exit', () => rt.containerStatus(id), (s) => s?.state === 'exited', 30_000, 20);
      return { status: status!, log: await readFile(status!.logPath!, 'utf8') };
    }

    it('reports its version', () => {
      assert.equal(rt.version().runtimeName, runtime);
      assert.match(rt.version().runtimeVersion, /^\d+\.\d+/);
    });

    it('logs stdout and stderr in the CRI format and records exit codes', async () => {
      const sb = await sandbox('logger');
      const { status, log } = await runToExit(sb, ctr('printer', ['sh', '-c', 'echo hello; echo oops >&2; printf partial; exit 3']));
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
      const ok = await runToExit(sb, ctr('ok', ['true']));
      assert.equal(ok.status.exitCode, 0);
      assert.equal(ok.status.reason, 'Completed');
      await rt.stopPodSandbox(sb);
      await rt.removePodSandbox(sb);
      assert.equal(await rt.podSandboxStatus(sb), undefined);
      assert.deepEqual(await rt.listContainers({ sandboxId: sb }), []);
    });

    it('applies env, args, cwd and user', async () => {
      const sb = await sandbox('envs');
      const { status, log } = await runToExit(sb, ctr('env', ['sh', '-c'], {
        args: ['echo "$FROM_IMAGE $MINE $PATH"; pwd; id -u; id -g; id -G; echo "$0 $1"', 'zero', 'one'],
        env: [{ name: 'MINE', value: 'mine' }], workingDir: '/tmp',
        securityContext: { runAsUser: 1000, supplementalGroups: [3000] },
      }));
      assert.equal(status.exitCode, 0, log);
      const out = log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
      assert.deepEqual(out, ['1 mine /bin', '/tmp', '1000', '1000', '1000 2000 3000', 'zero one']);
      const named = await runToExit(sb, ctr('named', ['id', '-u'], { securityContext: { runAsUsername: 'nobody' } }));
      assert.match(named.log, / F 65534$/m);
      await rt.removePodSandbox(sb);
    });

    it('bind-mounts volumes, read-only when asked', async () => {
      const sb = await sandbox('volumes');
      const vol = path.join(path.dirname(root), 'vol');
      await mkdir(vol, { recursive: true });
      await writeFile(path.join(vol, 'data'), 'from the host\n');
      const { status, log } = await runToExit(sb, ctr('v', ['sh', '-c', 'cat /ro/data; touch /ro/x || echo ro-refused; touch /rw/y && echo rw-ok'], {
        mounts: [{ containerPath: '/ro', hostPath: vol, readonly: true }, { containerPath: '/rw', hostPath: vol, propagation: 'rslave' }],
      }));
      assert.equal(status.exitCode, 0, log);
      assert.match(log, /F from the host$/m);
      assert.match(log, /F ro-refused$/m);
      assert.match(log, /F rw-ok$/m);
      assert.ok(existsSync(path.join(vol, 'y')));
      await rt.removePodSandbox(sb);
    });

    it('makes the rootfs read-only and drops capabilities', async () => {
      const sb = await sandbox('secure');
      const ro = await runToExit(sb, ctr('ro', ['touch', '/x'], { securityContext: { readonlyRootfs: true } }));
      assert.notEqual(ro.status.exitCode, 0);
      assert.match(ro.log, /Read-only file system/);
      const rw = await runToExit(sb, ctr('rw', ['touch', '/x']));
      assert.equal(rw.status.exitCode, 0);
      const caps = await runToExit(sb, ctr('caps', ['sh', '-c', 'grep CapEff /proc/self/status; hostname other'], {
        securityContext: { capabilities: { drop: ['ALL'] } },
      }));
      assert.match(caps.log, /CapEff:\s+0000000000000000/);
      const chown = await runToExit(sb, ctr('chown', ['sh', '-c', 'touch /tmp/f && chown 5 /tmp/f'], {
        securityContext: { capabilities: { drop: ['CHOWN'] } },
      }));
      assert.notEqual(chown.status.exitCode, 0);
      await rt.removePodSandbox(sb);
    });

    it('OOM-kills over the memory limit (OOMKilled, 137) and applies the CPU quota', async () => {
      const sb = await sandbox('limits', { cgroupParent: `/capstan-test-${runtime}` });
      const oom = await runToExit(sb, ctr('hog', ['sh', '-c', 'x=a; while true; do x=$x$x; done'], {
        resources: { memoryLimitInBytes: 16 * 1024 * 1024 },
      }));
      assert.equal(oom.status.exitCode, 137);
      assert.equal(oom.status.reason, 'OOMKilled');
      const id = await create(sb, ctr('cpu', ['sleep', '60'], { resources: { cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512, oomScoreAdj: 500 } }));
      await rt.startContainer(id);
      const pid = (await rt.containerStatus(id))!.pid!;
      assert.equal((await readFile(`/proc/${pid}/oom_score_adj`, 'utf8')).trim(), '500');
      const bare = id.split('://')[1];
      assert.equal((await readFile(`/sys/fs/cgroup/cpu/capstan-test-${runtime}/${bare}/cpu.cfs_quota_us`, 'utf8')).trim(), '50000');
      assert.equal((await readFile(`/sys/fs/cgroup/cpu/capstan-test-${runtime}/${bare}/cpu.shares`, 'utf8')).trim(), '512');
      const stats = await rt.containerStats(id);
      assert.ok(stats && stats.memoryUsageBytes > 0 && stats.cpuUsageCoreNanoSeconds > 0);
      assert.ok(stats.memoryWorkingSetBytes <= stats.memoryUsageBytes);
      await rt.removePodSandbox(sb);
      assert.ok(!existsSync(`/sys/fs/cgroup/memory/capstan-test-${runtime}/${bare}`), 'removeContainer removes the cgroup');
    });

    it('shares net, IPC and UTS between a pod\'s containers; the hostname is the pod\'s', async () => {
      const sb = await sandbox('sharing');
      const server = await create(sb, ctr('server', ['sh', '-c', 'while true; do echo pong | nc -l -p 7000; done']));
      await rt.startContainer(server);
      const { log } = await poll('client reaches the server', async () => runToExit(sb, ctr(`client${Math.random().toString(36).slice(2, 6)}`,
        ['sh', '-c', 'hostname; cat /etc/hostname; echo ping | nc 127.0.0.1 7000; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net; cat /etc/resolv.conf'])), (r) => r.log.includes('pong'), 30_000, 100);
      const out = log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
      assert.equal(out[0], 'sharing');
      assert.equal(out[1], 'sharing');
      assert.ok(out.includes('pong'));
      const serverNs = (await rt.execSync(server, ['sh', '-c', 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/net'], 10_000)).stdout.toString().trim().split('\n');
      assert.equal(serverNs.length, 2);
      for (const ns of serverNs) assert.ok(out.includes(ns), `the client shares ${ns}`);
      const { readlink } = await import('node:fs/promises');
      assert.notEqual(serverNs[0], await readlink('/proc/self/ns/ipc'));
      assert.ok(out.includes('nameserver 10.43.0.10'));
      const st = await rt.podSandboxStatus(sb);
      assert.equal(st?.state, 'ready');
      assert.ok(st?.netnsPath?.startsWith(runDir));
      await rt.stopPodSandbox(sb);
      assert.equal((await rt.podSandboxStatus(sb))?.state, 'notready');
      assert.equal((await rt.containerStatus(server))?.state, 'exited');
      await rt.removePodSandbox(sb);
    });

    it('stops with SIGTERM, then SIGKILL after the timeout', async () => {
      const sb = await sandbox('stopper');
      const polite = await create(sb, ctr('polite', ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done']));
      await rt.startContainer(polite);
      await poll('running', () => rt.containerStatus(polite), (s) => s?.state === 'running', 10_000, 20);
      // The trap is set once the shell has run its first loop iteration (a child sleep exists).
      await poll('trap set', () => rt.execSync(polite, ['ps'], 10_000), (r) => r.stdout.toString().includes('sleep 0.1'), 10_000, 20);
      await rt.stopContainer(polite, 10);
      const ps = await rt.containerStatus(polite);
      assert.equal(ps?.state, 'exited');
      assert.equal(ps?.exitCode, 0);
      const stubborn = await create(sb, ctr('stubborn', ['sh', '-c', 'trap "echo ignored" TERM; while true; do sleep 0.1; done']));
      await rt.startContainer(stubborn);
      await poll('trap set', () => rt.execSync(stubborn, ['ps'], 10_000), (r) => r.stdout.toString().includes('sleep 0.1'), 10_000, 20);
      const t0 = Date.now();
      await rt.stopContainer(stubborn, 1);
      assert.ok(Date.now() - t0 >= 1000);
      const ss = await rt.containerStatus(stubborn);
      assert.equal(ss?.exitCode, 137);
      assert.equal(ss?.reason, 'Error');
      await rt.stopContainer(stubborn, 1);
      await rt.removeContainer(stubborn);
      await rt.removeContainer(stubborn);
      assert.equal(await rt.containerStatus(stubborn), undefined);
      await rt.removePodSandbox(sb);
    });

    it('execSync captures output and exit codes, and kills on timeout', async () => {
      const sb = await sandbox('execs');
      const id = await create(sb, ctr('main', ['sleep', '3600']));
      await rt.startContainer(id);
      const r = await rt.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 4'], 10_000);
      assert.equal(r.exitCode, 4);
      assert.equal(r.stdout.toString(), 'out\n');
      assert.equal(r.stderr.toString(), 'err\n');
      const t0 = Date.now();
      const slow = await rt.execSync(id, ['sleep', '30'], 500);
      assert.equal(slow.timedOut, true);
      assert.ok(Date.now() - t0 < 20_000);
      const cg = await rt.execSync(id, ['sh', '-c', 'cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup'], 10_000);
      const [mine, init] = cg.stdout.toString().split('---\n');
      assert.equal(mine!.trim(), init!.trim(), 'the exec joins the container\'s cgroups');
      const ps = await rt.execSync(id, ['ps'], 10_000);
      assert.ok(!ps.stdout.toString().includes('sleep 30'), 'the timed-out process is gone');
      await rt.removePodSandbox(sb);
    });

    it('exec without a TTY: stdin in, stdout and stderr apart, the exit code', async () => {
      const sb = await sandbox('pipes');
      const id = await create(sb, ctr('main', ['sleep', '3600']));
      await rt.startContainer(id);
      const s = await rt.exec(id, { cmd: ['sh', '-c', 'while read l; do echo "out $l"; echo "err $l" >&2; done; exit 6'], stdin: true, stdout: true, stderr: true });
      let out = '';
      let err = '';
      s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      s.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
      s.stdin!.end('a\nb\n');
      assert.equal(await s.exit, 6);
      assert.equal(out, 'out a\nout b\n');
      assert.equal(err, 'err a\nerr b\n');
      await rt.removePodSandbox(sb);
    });

    it('a missing command fails createContainer and leaves nothing behind', async () => {
      const sb = await sandbox('broken');
      await assert.rejects(rt.createContainer(sb, ctr('nope', ['/does/not/exist'])), /does\/not\/exist|no such file/i);
      assert.deepEqual(await rt.listContainers({ sandboxId: sb }), []);
      const mounts = await readFile('/proc/self/mountinfo', 'utf8');
      assert.ok(!mounts.includes(path.join(root, 'containers')), 'no rootfs left mounted');
      await rt.removePodSandbox(sb);
    });

    it('exec with a TTY, resized', async () => {
      const sb = await sandbox('tty');
      const id = await create(sb, ctr('main', ['sleep', '3600']));
      await rt.startContainer(id);
      const s = await rt.exec(id, { cmd: ['sh'], tty: true, stdin: true, stdout: true });
      assert.equal(s.stderr, undefined);
      let out = '';
      s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      s.resize(100, 30);
      // The resize lands asynchronously: ask until the terminal reports it.
      await poll('resized', async () => { s.stdin!.write('stty size\n'); await new Promise((r) => setTimeout(r, 50)); return out; }, (o) => /30 100/.test(o), 20_000, 50);
      s.stdin!.write('tty; exit 5\n');
      assert.equal(await s.exit, 5);
      assert.match(out, /\/dev\/pts\/\d+/);
      await rt.removePodSandbox(sb);
    });

    it('port-forwards to a server inside the sandbox', async () => {
      const sb = await sandbox('forward');
      const id = await create(sb, ctr('web', ['httpd', '-f', '-p', '8080', '-h', '/www']));
      await rt.startContainer(id);
      const body = await poll('httpd answers', async () => {
        const conn = await rt.portForward(sb, 8080);
        const chunks: Buffer[] = [];
        conn.on('data', (b: Buffer) => chunks.push(b));
        conn.end('GET /index.html HTTP/1.0\r\n\r\n');
        await new Promise((r) => conn.on('close', r).on('end', r));
        return Buffer.concat(chunks).toString();
      }, (b) => b.includes('hello from the sandbox'), 30_000, 100);
      assert.match(body, /^HTTP\/1\.[01] 200/);
      await rt.removePodSandbox(sb);
    });

    it('a new OciRuntime over the same root re-adopts running containers', async () => {
      const sb = await sandbox('adopt');
      const id = await create(sb, ctr('main', ['sh', '-c', 'while true; do echo tick; sleep 0.2; done']));
      await rt.startContainer(id);
      const before = await rt.containerStatus(id);
      const again = new OciRuntime({ root, runDir, runtime, images: busyboxImages(layer) });
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
      const out = execFileSync(process.execPath, [...helperArgs('start-and-exit'), root, runDir, runtime, layer, path.join(logs, 'survivor')], { encoding: 'utf8' });
      const { sandboxId, containerId, pid } = JSON.parse(out.trim().split('\n').at(-1)!);
      created.push(containerId.split('://')[1]);
      const again = new OciRuntime({ root, runDir, runtime, images: busyboxImages(layer) });
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
      const sb = await sandbox('orphan');
      const id = await create(sb, ctr('main', ['sleep', '3600']));
      await rt.startContainer(id);
      const st = await rt.containerStatus(id);
      const conmonPid = Number(await readFile(path.join(root, 'containers', id.split('://')[1]!, 'conmon.pid'), 'utf8'));
      process.kill(conmonPid, 'SIGKILL');
      process.kill(st!.pid!, 'SIGKILL');
      const done = await poll('exited', () => rt.containerStatus(id), (s) => s?.state === 'exited', 10_000, 20);
      assert.equal(done?.exitCode, 255);
      assert.equal(done?.reason, 'Error');
      assert.match(done!.message!, /monitor ended/);
      await rt.removePodSandbox(sb);
    });

    it('shares one PID namespace with shareProcessNamespace', async () => {
      const sb = await sandbox('pidshare', { namespaceOptions: { pid: 'pod' } });
      const a = await create(sb, ctr('a', ['sleep', '3600']));
      await rt.startContainer(a);
      const b = await create(sb, ctr('b', ['sleep', '3600']));
      await rt.startContainer(b);
      const ps = await rt.execSync(b, ['ps'], 10_000);
      assert.equal(ps.stdout.toString().split('\n').filter((l) => l.includes('sleep 3600')).length, 2, ps.stdout.toString());
      assert.match(ps.stdout.toString(), /^\s*1 .*sleep/m, 'the holder is PID 1');
      await rt.removePodSandbox(sb);
    });

    it('attaches to a running container\'s stdio', async () => {
      const sb = await sandbox('attach');
      const id = await create(sb, ctr('echoer', ['sh', '-c', 'while read line; do echo "got $line"; echo "err $line" >&2; done'], { stdin: true }));
      await rt.startContainer(id);
      await poll('running', () => rt.containerStatus(id), (s) => s?.state === 'running', 10_000, 20);
      const s = await rt.attach(id, { stdin: true });
      let out = '';
      let err = '';
      s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      s.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
      try {
        s.stdin!.write('ping\n');
        await poll('echoed', async () => out, (o) => o.includes('got ping'), 10_000, 20);
        await poll('stderr', async () => err, (e) => e.includes('err ping'), 10_000, 20);
      } finally {
        s.close();
      }
      await rt.removePodSandbox(sb);
    });

    it('runs a TTY container, attached and resized through conmon', async () => {
      const sb = await sandbox('ttyctr');
      const id = await create(sb, ctr('shell', ['sh'], { tty: true, stdin: true }));
      await rt.startContainer(id);
      await poll('running', () => rt.containerStatus(id), (s) => s?.state === 'running', 10_000, 20);
      const s = await rt.attach(id, { stdin: true, tty: true });
      assert.equal(s.stderr, undefined);
      let out = '';
      s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      try {
        s.resize(120, 40);
        await poll('terminal output', async () => { s.stdin!.write('tty; stty size\n'); await new Promise((r) => setTimeout(r, 50)); return out; },
          (o) => /\/dev\/pts\/\d+/.test(o) && /40 120/.test(o), 20_000, 50);
      } finally {
        s.close();
      }
      const st = await rt.containerStatus(id);
      assert.match(await readFile(st!.logPath!, 'utf8'), / stdout [PF] /);
      await rt.removePodSandbox(sb);
    });

    it('privileged: every capability and the host devices', async () => {
      const sb = await sandbox('priv');
      const { status, log } = await runToExit(sb, ctr('p', ['sh', '-c', 'grep CapEff /proc/self/status; ls /dev/loop-control /dev/null && mount -t tmpfs t /mnt && echo mounted'], {
        securityContext: { privileged: true },
      }));
      assert.equal(status.exitCode, 0, log);
      const own = /^CapBnd:\s*([0-9a-f]+)/m.exec(await readFile('/proc/self/status', 'utf8'))![1];
      assert.match(log, new RegExp(`CapEff:\\s+${own}`), 'the runtime\'s own capabilities');
      assert.match(log, /mounted/);
      await rt.removePodSandbox(sb);
    });

    it('attaches the pod network through the port: the pod IP in status and /etc/hosts', async () => {
      const network = new DummyNetwork();
      const netRt = new OciRuntime({ root, runDir, runtime, images: busyboxImages(layer), network });
      const sb = await netRt.runPodSandbox(pod('netted', { logDirectory: path.join(logs, 'netted'), portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }] }));
      assert.equal(network.setUps.length, 1);
      assert.equal(network.setUps[0]!.sandboxId, sb);
      assert.deepEqual(network.setUps[0]!.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }]);
      const st = await netRt.podSandboxStatus(sb);
      const ip = st!.ip!;
      assert.match(ip, /^10\.99\.0\.\d+$/);
      const id = await netRt.createContainer(sb, ctr('c', ['sh', '-c', 'ip -4 addr show eth0; cat /etc/hosts']));
      created.push(id.split('://')[1]!);
      await netRt.startContainer(id);
      const done = await poll('exit', () => netRt.containerStatus(id), (s) => s?.state === 'exited', 30_000, 20);
      const log = await readFile(done!.logPath!, 'utf8');
      assert.ok(log.includes(`inet ${ip}/24`), log);
      assert.ok(log.includes(`${ip}\tnetted`), log);
      await netRt.stopPodSandbox(sb);
      assert.equal(network.tearDowns.length, 1);
      assert.equal(network.tearDowns[0]!.netnsPath, st!.netnsPath);
      await netRt.removePodSandbox(sb);
      assert.equal(network.tearDowns.length, 1, 'remove after stop does not detach twice');
    });

    it('reopens the log file after rotation', async () => {
      const sb = await sandbox('rotate');
      const id = await create(sb, ctr('ticker', ['sh', '-c', 'while true; do echo tick; sleep 0.05; done']));
      await rt.startContainer(id);
      const st = await rt.containerStatus(id);
      await poll('logged', () => readFile(st!.logPath!, 'utf8'), (t) => t.includes('tick'), 10_000, 20);
      const { rename } = await import('node:fs/promises');
      await rename(st!.logPath!, `${st!.logPath!}.1`);
      await rt.reopenContainerLog(id);
      await poll('new file', () => readFile(st!.logPath!, 'utf8').catch(() => ''), (t) => t.includes('tick'), 10_000, 20);
      await rt.removePodSandbox(sb);
    });

    it('host network and IPC: the host\'s namespaces, hostname and /dev/shm', async () => {
      const sb = await sandbox('hostnet', { namespaceOptions: { network: 'node', ipc: 'node' } });
      assert.equal((await rt.podSandboxStatus(sb))?.netnsPath, undefined);
      const marker = `capstan-test-${process.pid}-${runtime}`;
      await writeFile(`/dev/shm/${marker}`, '');
      try {
        const { log } = await runToExit(sb, ctr('h', ['sh', '-c', `hostname; readlink /proc/self/ns/net; readlink /proc/self/ns/ipc; ls /dev/shm/${marker}`]));
        const out = log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
        assert.equal(out[0], os.hostname());
        const { readlink } = await import('node:fs/promises');
        assert.equal(out[1], await readlink('/proc/self/ns/net'));
        assert.equal(out[2], await readlink('/proc/self/ns/ipc'));
        assert.equal(out[3], `/dev/shm/${marker}`);
      } finally {
        await rm(`/dev/shm/${marker}`, { force: true });
      }
      await rt.removePodSandbox(sb);
    });

    it('runs different pods concurrently', async () => {
      const names = ['par-a', 'par-b', 'par-c', 'par-d'];
      const results = await Promise.all(names.map(async (name) => {
        const sb = await sandbox(name);
        const r = await runToExit(sb, ctr('c', ['hostname']));
        await rt.removePodSandbox(sb);
        return r;
      }));
      assert.deepEqual(results.map((r) => r.status.exitCode), [0, 0, 0, 0]);
      assert.deepEqual(results.map((r) => r.log.trimEnd().split(' ').slice(3).join(' ')), names);
    });

    it('killAll ends running containers and sandboxes, leaving no mounts, cgroups or processes', async () => {
      const sb = await sandbox('leftover', { namespaceOptions: { pid: 'pod' } });
      const id = await create(sb, ctr('main', ['sleep', '3600']));
      await rt.startContainer(id);
      const report = await killAll({ root, runDir });
      assert.deepEqual(report.errors, []);
      assert.ok(report.containers >= 1 && report.sandboxes >= 1);
      await assertNothingLeft();
    });
  });
}
