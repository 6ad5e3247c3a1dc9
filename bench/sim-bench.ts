// Hollow-node benchmark (not a test): registers N hollow nodes (default 5,000) against a real
// `capstan server` child process, then measures the steady state of lease renewals: CPU% and RSS
// of this process (the simulator) and of the server, and the renewal rate.
// Needs a built checkout (bin/capstan runs dist/). Run:
//   node --import tsx bench/sim-bench.ts [nodes, default 5000] [steady seconds, default 60] [pods, default 0]
// With pods > 0 it then creates and binds that many pods round-robin (as a burst of bindings)
// and reports how long until all report Running.
import { readFileSync } from 'node:fs';
import { spawnServer, tempDir } from '../test/support/server.js';
import { Client, transportFromKubeconfig } from '../src/client/index.js';
import { pods, type KubeObject } from '../src/api/index.js';
import { HollowNodes } from '../src/kubelet/index.js';

const nodes = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 60);
const podCount = Number(process.argv[4] ?? 0);
const CLOCK_TICKS = 100; // USER_HZ on Linux

function procCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
}

function procRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

const dir = tempDir('capstan-sim-bench-');
// The API server alone with the hollow nodes: no scheduler or controllers.
const server = await spawnServer(dir.path, 0, ['--disable-scheduler', '--disable-controller-manager']);
const pid = server.child.pid!;
const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-sim-bench' }));
let errors = 0;
const sim = new HollowNodes(client, { count: nodes, onError: () => void errors++ });
const stop = new AbortController();
try {
  const t0 = performance.now();
  const running = sim.start(stop.signal);
  await sim.whenRegistered();
  const registerS = (performance.now() - t0) / 1000;
  console.log(`registered ${nodes} nodes in ${registerS.toFixed(1)} s (${(nodes / registerS).toFixed(0)} nodes/s), errors ${errors}`);

  // Let the first lease round (creates) pass before measuring renewals.
  await new Promise((r) => setTimeout(r, 12_000));
  const simCpu0 = process.cpuUsage();
  const srvCpu0 = procCpuSeconds(pid);
  const renew0 = sim.stats().leaseRenewals;
  const start = performance.now();
  let simRssMax = 0;
  let srvRssMax = 0;
  while (performance.now() - start < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    simRssMax = Math.max(simRssMax, process.memoryUsage().rss / 2 ** 20);
    srvRssMax = Math.max(srvRssMax, procRssMiB(pid));
  }
  const elapsed = (performance.now() - start) / 1000;
  const simCpu = process.cpuUsage(simCpu0);
  const simPct = ((simCpu.user + simCpu.system) / 1e6 / elapsed) * 100;
  const srvPct = ((procCpuSeconds(pid) - srvCpu0) / elapsed) * 100;
  const s = sim.stats();
  console.log(`steady state over ${elapsed.toFixed(0)} s: ${((s.leaseRenewals - renew0) / elapsed).toFixed(0)} lease renewals/s, queue ${s.queued}, errors ${s.errors}`);
  console.log(`sim:    CPU ${simPct.toFixed(1)}% of one core, RSS max ${simRssMax.toFixed(0)} MiB`);
  console.log(`server: CPU ${srvPct.toFixed(1)}% of one core, RSS max ${srvRssMax.toFixed(0)} MiB`);
  if (podCount > 0) await podBurst();
  stop.abort();
  await running;
} finally {
  stop.abort();
  client.close();
  await server.terminate();
  dir.remove();
}

/** Creates `podCount` pods, binds them all, and waits until the simulator reported them Running. */
async function podBurst(): Promise<void> {
  const admin = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-sim-bench-admin' }));
  const api = admin.resource(pods);
  const names = Array.from({ length: podCount }, (_, i) => `burst-${i}`);
  const inBatches = async (fn: (name: string, i: number) => Promise<unknown>) => {
    for (let i = 0; i < names.length; i += 64) await Promise.all(names.slice(i, i + 64).map((n, j) => fn(n, i + j)));
  };
  const t0 = performance.now();
  await inBatches((name) => api.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'pause' }] } }));
  const t1 = performance.now();
  await inBatches((name, i) => api.create('default', name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: `hollow-${i % nodes}` } } as KubeObject));
  const t2 = performance.now();
  while (sim.stats().podStatusWrites < podCount) await new Promise((r) => setTimeout(r, 200));
  const t3 = performance.now();
  const running = (await api.listAll('default', { fieldSelector: 'status.phase=Running' })).items.length;
  console.log(`pods: created ${podCount} in ${((t1 - t0) / 1000).toFixed(1)} s, bound in ${((t2 - t1) / 1000).toFixed(1)} s, all Running ${((t3 - t2) / 1000).toFixed(1)} s after the last binding (${running} Running listed)`);
  admin.close();
}
