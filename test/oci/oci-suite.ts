// The fixture of the OciRuntime integration tests (root; real conmon, runc and crun; namespaces,
// mounts, cgroups). `ociSuite` declares one suite per OCI runtime (CAPSTAN_TEST_OCI_RUNTIMES,
// default `runc,crun`), each with its own temporary root and run directory, ending with killAll,
// which must leave no mount, cgroup or process behind, whatever happened in the tests.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OciRuntime, killAll, type ContainerConfig, type ContainerStatus, type PodSandboxConfig } from '../../src/runtime/index.js';
import { poll } from '../support/poll.js';
import { BUSYBOX_IMAGE, buildBusyboxLayer, busyboxAvailable, busyboxImages } from './busybox-image.js';

const CGROUP_HIERARCHIES = ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'hugetlb', 'memory', 'net_cls', 'net_prio', 'perf_event', 'pids', 'systemd', 'unified'];
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'needs root' : !busyboxAvailable ? 'needs busybox-static' : false;
const RUNTIMES = (process.env.CAPSTAN_TEST_OCI_RUNTIMES ?? 'runc,crun').split(',') as ('runc' | 'crun')[];

/** Node arguments that run a sibling helper script, compiled (`.js`, under dist) or from source (`.ts`, through tsx). */
export function helperArgs(name: string): string[] {
  const self = fileURLToPath(import.meta.url);
  const ext = path.extname(self);
  const file = path.join(path.dirname(self), `${name}${ext}`);
  return ext === '.ts' ? ['--import', 'tsx', file] : [file];
}

export function pod(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    name, namespace: 'default', uid: `uid-${name}`, hostname: name,
    dnsConfig: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    ...extra,
  };
}

export function ctr(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, image: BUSYBOX_IMAGE, command, logPath: `${name}/0.log`, ...extra };
}

/** The log's content fields, one per line. */
export function logLines(log: string): string[] {
  return log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
}

/** A suite's runtime and directories (set in `before`), and helpers that track what tests create. */
export class OciFixture {
  root = '';
  runDir = '';
  logs = '';
  layer = '';
  rt!: OciRuntime;
  /** Bare ids of every container created, checked gone at the end. */
  readonly created: string[] = [];
  private readonly pids: number[] = [];

  constructor(readonly runtime: 'runc' | 'crun') {}

  async setUp(): Promise<void> {
    const base = await mkdtemp(path.join(os.tmpdir(), `oci-${this.runtime}-`));
    this.root = path.join(base, 'root');
    this.logs = path.join(base, 'logs');
    this.layer = await buildBusyboxLayer(path.join(base, 'layer'));
    this.runDir = await mkdtemp(`/run/capstan-t${this.runtime[0]}-`);
    this.rt = new OciRuntime({ root: this.root, runDir: this.runDir, runtime: this.runtime, images: busyboxImages(this.layer) });
    await this.rt.init();
  }

  async tearDown(): Promise<void> {
    if (!this.root) return;
    const report = await killAll({ root: this.root, runDir: this.runDir });
    await rm(path.dirname(this.root), { recursive: true, force: true });
    for (const h of CGROUP_HIERARCHIES) await rmdir(`/sys/fs/cgroup/${h}/capstan-test-${this.runtime}`).catch(() => {});
    assert.deepEqual(report.errors, []);
    await this.assertNothingLeft();
  }

  /** No mount, cgroup or process of this suite's containers and sandboxes remains. */
  async assertNothingLeft(): Promise<void> {
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    assert.ok(!mounts.includes(this.root) && !mounts.includes(this.runDir), 'no mounts left');
    for (const id of this.created) {
      for (const parent of ['capstan', `capstan-test-${this.runtime}`]) {
        assert.ok(!existsSync(`/sys/fs/cgroup/memory/${parent}/${id}`), `cgroup of ${id} removed`);
        assert.ok(!existsSync(`/sys/fs/cgroup/pids/${parent}/${id}`), `cgroup of ${id} removed`);
      }
    }
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      assert.ok(!cmdline.includes(this.root) && !cmdline.includes(this.runDir), `process ${pid} left: ${cmdline}`);
    }
    for (const pid of this.pids) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      assert.ok(!existsSync(`/proc/${pid}/ns`) || cmdline === '', `container process ${pid} ended`);
    }
  }

  sandbox(name: string, extra: Partial<PodSandboxConfig> = {}): Promise<string> {
    return this.rt.runPodSandbox(pod(name, { logDirectory: path.join(this.logs, name), ...extra }));
  }

  async create(sb: string, config: ContainerConfig): Promise<string> {
    const id = await this.rt.createContainer(sb, config);
    this.created.push(id.split('://')[1]!);
    const st = await this.rt.containerStatus(id);
    if (st?.pid) this.pids.push(st.pid);
    return id;
  }

  async runToExit(sb: string, config: ContainerConfig): Promise<{ status: ContainerStatus; log: string }> {
    const id = await this.create(sb, config);
    await this.rt.startContainer(id);
    const status = await poll('container exit', () => this.rt.containerStatus(id), (s) => s?.state === 'exited', 30_000, 20);
    return { status: status!, log: await readFile(status!.logPath!, 'utf8') };
  }
}

/** One suite per OCI runtime; `body` declares its tests with the fixture. */
export function ociSuite(title: string, body: (oci: OciFixture, runtime: 'runc' | 'crun') => void): void {
  for (const runtime of RUNTIMES) {
    describe(`${title} (${runtime})`, { skip, concurrency: false }, () => {
      const oci = new OciFixture(runtime);
      before(() => oci.setUp());
      after(() => oci.tearDown());
      body(oci, runtime);
    });
  }
}
