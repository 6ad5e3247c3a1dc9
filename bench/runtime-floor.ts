// Runtime floor benchmark (not a test): how long a busybox `true` container takes from nothing to
// exited, for raw `runc run` and `crun run` (no Capstan code: a bundle on a plain directory) and for
// OciRuntime (overlay rootfs, conmon, create + start, until its status says exited; remove timed
// apart). The pod-start benchmark compares against these. Needs root and busybox-static.
// Run: node --import tsx bench/runtime-floor.ts [runs, default 30]
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciRuntime, killAll } from '../src/runtime/index.js';
import { BUSYBOX_IMAGE, buildBusyboxLayer, busyboxImages } from '../test/oci/busybox-image.js';

const runs = Number(process.argv[2] ?? 30);
const HYBRID = '/sys/fs/cgroup/unified/cgroup.controllers';

function run(file: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn(file, args, { stdio: 'ignore' });
    c.on('error', reject);
    c.on('close', (code) => resolve(code ?? -1));
  });
}

function summary(name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))]!.toFixed(1);
  return `${name.padEnd(38)} p50 ${q(0.5).padStart(7)} ms   p99 ${q(0.99).padStart(7)} ms   (n=${s.length})`;
}

async function rawBundle(dir: string, layer: string): Promise<string> {
  const bundle = join(dir, 'bundle');
  await mkdir(bundle, { recursive: true });
  await cp(layer, join(bundle, 'rootfs'), { recursive: true, verbatimSymlinks: true });
  const spec = {
    ociVersion: '1.0.2-dev',
    process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['true'], env: ['PATH=/bin'], cwd: '/', noNewPrivileges: true },
    root: { path: 'rootfs', readonly: true },
    mounts: [{ destination: '/proc', type: 'proc', source: 'proc' }],
    linux: { namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }] },
  };
  await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
  return bundle;
}

async function rawRuns(runtime: 'runc' | 'crun', bundle: string, state: string): Promise<number[]> {
  const hybrid = runtime === 'crun' && (await readFile(HYBRID, 'utf8').catch(() => '')).trim() !== '';
  const empty = join(state, 'empty');
  await writeFile(empty, '');
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const id = `floor-${runtime}-${i}`;
    const args = [`--root=${state}`, 'run', '--bundle', bundle, id];
    const t0 = performance.now();
    const code = hybrid
      ? await run('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', `mount --bind ${empty} ${HYBRID} && exec crun "$@"`, 'sh', ...args])
      : await run(runtime, args);
    out.push(performance.now() - t0);
    if (code !== 0) throw new Error(`${runtime} run exited ${code}`);
    await run(runtime, [`--root=${state}`, 'delete', '--force', id]);
  }
  return out;
}

async function capstanRuns(runtime: 'runc' | 'crun', base: string, layer: string): Promise<{ start: number[]; remove: number[] }> {
  const root = join(base, `root-${runtime}`);
  const runDir = await mkdtemp(`/run/capstan-fl${runtime[0]}-`);
  const rt = new OciRuntime({ root, runDir, runtime, images: busyboxImages(layer) });
  await rt.init();
  const start: number[] = [];
  const remove: number[] = [];
  try {
    const sb = await rt.runPodSandbox({ name: 'floor', namespace: 'bench', uid: 'floor', logDirectory: join(base, 'logs') });
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const id = await rt.createContainer(sb, { name: `c${i}`, image: BUSYBOX_IMAGE, command: ['true'], logPath: `c${i}/0.log` });
      await rt.startContainer(id);
      while ((await rt.containerStatus(id))?.state !== 'exited') await new Promise((r) => setTimeout(r, 1));
      start.push(performance.now() - t0);
      const t1 = performance.now();
      await rt.removeContainer(id);
      remove.push(performance.now() - t1);
    }
  } finally {
    await killAll({ root, runDir });
  }
  return { start, remove };
}

const base = await mkdtemp(join(tmpdir(), 'capstan-runtime-floor-'));
try {
  const layer = await buildBusyboxLayer(join(base, 'layer'));
  const bundle = await rawBundle(base, layer);
  const lines: string[] = [];
  for (const runtime of ['runc', 'crun'] as const) {
    const state = join(base, `state-${runtime}`);
    await mkdir(state, { recursive: true });
    lines.push(summary(`${runtime} run (raw)`, await rawRuns(runtime, bundle, state)));
  }
  for (const runtime of ['runc', 'crun'] as const) {
    const { start, remove } = await capstanRuns(runtime, base, layer);
    lines.push(summary(`OciRuntime ${runtime} create+start→exited`, start));
    lines.push(summary(`OciRuntime ${runtime} removeContainer`, remove));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(base, { recursive: true, force: true });
}
