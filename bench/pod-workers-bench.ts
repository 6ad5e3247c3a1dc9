// Pod workers benchmark (not a test): one node's PodWorkers over the fake runtime against an
// in-process API server; creates N bound pods at once and reports how long until all report
// Running and Ready, and how many status writes that took. Run:
//   node --import tsx bench/pod-workers-bench.ts [pods, default 100]
import { startTestServer } from '../test/support/server.js';
import { Client, transportFromKubeconfig } from '../src/client/index.js';
import { pods, type KubeObject, type Pod } from '../src/api/index.js';
import { FakeImageService, FakeRuntime } from '../src/runtime/index.js';
import { PodWorkers, simplePodDeps } from '../src/kubelet/index.js';

const count = Number(process.argv[2] ?? 100);
const server = await startTestServer({ memory: true });
const admin = new Client(transportFromKubeconfig(server.kubeconfig));
const kubelet = new Client(transportFromKubeconfig(server.kubeconfig));
const stop = new AbortController();
const workers = new PodWorkers({ client: kubelet, nodeName: 'bench', runtime: new FakeRuntime(), images: new FakeImageService(), deps: simplePodDeps() });
const done = workers.start(stop.signal);
try {
  await workers.waitForSync();
  const api = admin.resource(pods);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => api.create('default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: { nodeName: 'bench', containers: [{ name: 'c', image: 'busybox:1.36' }] },
  } as KubeObject)));
  const created = performance.now() - t0;
  for (;;) {
    const list = await api.list('default');
    const ready = (list.items as Pod[]).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready === count) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const total = performance.now() - t0;
  console.log(JSON.stringify({ pods: count, createMs: Math.round(created), allReadyMs: Math.round(total), statusWrites: workers.statuses.writes }));
} finally {
  stop.abort();
  await done;
  kubelet.close();
  admin.close();
  await server.stop();
}
