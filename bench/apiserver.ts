// API server benchmark (not a test): pod create throughput and latency at 1, 16 and 64
// concurrent clients, LIST of 10,000 pods, watch delivery latency to 100 watchers, idle and
// loaded RSS. The server runs as a real `capstan server` process on the SQLite store; the load
// comes from this process over HTTPS with the admin client certificate.
//
//   npm run build && node dist/bench/apiserver.js [--pods 10000] [--duration 5]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { spawnServer, tempDir } from '../test/support/server.js';
import { ApiClient, credentialsFrom } from '../test/support/http.js';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    watchers: { type: 'string', default: '100' },
  },
});
const LIST_PODS = Number(values.pods);
const DURATION_MS = Number(values.duration) * 1000;
const WATCHERS = Number(values.watchers);

function pod(name: string) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'backend', 'pod-template-hash': '5d8f7c9b4' }, annotations: { 'bench/created-by': 'apiserver-bench' } },
    spec: {
      containers: [{
        name: 'app', image: 'registry.example/bench/app:1.0', ports: [{ name: 'http', containerPort: 8080 }],
        env: [{ name: 'MODE', value: 'bench' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
      }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function createStorm(client: ApiClient, ns: string, concurrency: number, durationMs: number, prefix: string) {
  const latencies: number[] = [];
  let n = 0;
  let failures = 0;
  const end = performance.now() + durationMs;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await client.request('POST', `/api/v1/namespaces/${ns}/pods`, pod(`${prefix}-${n++}`));
      if (r.status !== 201) failures++;
      else latencies.push(performance.now() - t0);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, failures };
}

async function main() {
  const dir = tempDir('capstan-bench-');
  // The API server alone: no scheduler or controllers reacting to the pods written here.
  const server = await spawnServer(dir.path, 0, ['--disable-scheduler', '--disable-controller-manager']);
  const pid = server.child.pid!;
  const client = new ApiClient(credentialsFrom(server.kubeconfig), { maxSockets: 64 });
  const rows: string[] = [];
  const row = (k: string, v: string) => {
    rows.push(`| ${k} | ${v} |`);
    console.log(`${k}: ${v}`);
  };
  try {
    await new Promise((r) => setTimeout(r, 2000));
    row('idle RSS (MiB)', rssMiB(pid).toFixed(0));
    for (const ns of ['bench', 'bench-list', 'bench-watch']) {
      await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    // Warm-up: JIT and connection pool.
    await createStorm(client, 'bench', 16, 1000, 'warm');
    for (const c of [1, 16, 64]) {
      const r = await createStorm(client, 'bench', c, DURATION_MS, `c${c}`);
      row(`pod create, ${c} client(s)`, `${r.rate.toFixed(0)} creates/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.count} pods, ${r.failures} failed)`);
    }
    row('loaded RSS after creates (MiB)', rssMiB(pid).toFixed(0));

    // LIST of N pods in one namespace, served from the watch cache.
    let made = 0;
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (made < LIST_PODS) {
        const i = made++;
        const r = await client.request('POST', '/api/v1/namespaces/bench-list/pods', pod(`l-${i}`));
        if (r.status !== 201) throw new Error(`create failed: ${r.body}`);
      }
    }));
    const listTimes: number[] = [];
    let listedBytes = 0;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const r = await client.request('GET', '/api/v1/namespaces/bench-list/pods');
      listTimes.push(performance.now() - t0);
      const items = r.json().items.length;
      if (items !== LIST_PODS) throw new Error(`listed ${items}`);
      listedBytes = r.body.length;
    }
    listTimes.sort((a, b) => a - b);
    row(`LIST ${LIST_PODS} pods`, `median ${percentile(listTimes, 50).toFixed(0)} ms (min ${listTimes[0]!.toFixed(0)}, max ${listTimes.at(-1)!.toFixed(0)}; ${(listedBytes / 1048576).toFixed(1)} MiB)`);
    row('loaded RSS with 10k+ pods (MiB)', rssMiB(pid).toFixed(0));

    // Watch delivery: WATCHERS watches on one namespace; latency from create acknowledged to each watcher's receipt.
    const sentAt = new Map<string, number>();
    const delays: number[] = [];
    const watches = Array.from({ length: WATCHERS }, () => client.watch('/api/v1/namespaces/bench-watch/pods?watch=true&resourceVersion=0', (e) => {
      const t = sentAt.get(e.object?.metadata?.name);
      if (e.type === 'ADDED' && t !== undefined) delays.push(performance.now() - t);
    }));
    await new Promise((r) => setTimeout(r, 1500));
    const N = 200;
    for (let i = 0; i < N; i++) {
      const name = `w-${i}`;
      const t0 = performance.now();
      const r = await client.request('POST', '/api/v1/namespaces/bench-watch/pods', pod(name));
      if (r.status !== 201) throw new Error(r.body);
      sentAt.set(name, t0);
      await new Promise((res) => setTimeout(res, 10));
    }
    for (let i = 0; i < 100 && delays.length < N * WATCHERS; i++) await new Promise((r) => setTimeout(r, 50));
    for (const w of watches) w.stop();
    delays.sort((a, b) => a - b);
    row(`watch delivery, ${WATCHERS} watchers`, `p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${percentile(delays, 99).toFixed(1)} ms (${delays.length}/${N * WATCHERS} events, measured from create sent)`);
    row('loaded RSS with watchers (MiB)', rssMiB(pid).toFixed(0));
  } finally {
    client.close();
    await server.terminate();
    dir.remove();
  }
  console.log('\n| figure | value |\n|---|---|\n' + rows.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
