// A real API server and a kubelet server on loopback, backed by the local test backend, with a
// Node pointing at the kubelet and a running pod bound to it (containers `app` and `side`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { KubeletServer, type PluggableHandler } from '../../src/kubelet/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ApiClient, credentialsFrom } from '../support/http.js';
import { LocalBackend, type LocalPod } from './local-backend.js';

export interface StreamingFixture {
  server: TestServer;
  kubelet: KubeletServer;
  backend: LocalBackend;
  pod: LocalPod;
  /** Working directory standing in for the containers' filesystem. */
  workDir: string;
  echoPort: number;
  stop(): Promise<void>;
}

export const NODE = 'node-a';
export const POD = 'web';

async function startEcho(): Promise<Server> {
  const echo = createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  return echo;
}

export async function startStreamingFixture(opts: { handlers?: Record<string, PluggableHandler> } = {}): Promise<StreamingFixture> {
  const server = await startTestServer({ memory: true });
  const cleanups: (() => Promise<void> | void)[] = [() => server.stop()];
  const stop = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const workDir = join(server.dataDir, 'container-fs');
    mkdirSync(workDir, { recursive: true });
    const backend = new LocalBackend(join(server.dataDir, 'logs'), workDir);
    cleanups.push(() => backend.stop());
    const serving = await server.pki.issueServingCertificate({ commonName: NODE, sans: { dnsNames: ['localhost'], ips: ['127.0.0.1'] } });
    const kubelet = await KubeletServer.listen({ tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: server.pki.caCertPem }, backend, handlers: opts.handlers }, 0, '127.0.0.1');
    cleanups.push(() => kubelet.close());
    const echo = await startEcho();
    cleanups.push(() => new Promise<void>((r) => echo.close(() => r())));
    const echoPort = (echo.address() as { port: number }).port;
    backend.ports.set(80, echoPort);

    const api = new ApiClient(credentialsFrom(server.kubeconfig));
    cleanups.push(() => api.close());
    const must = async (method: string, path: string, body: unknown) => {
      const r = await api.request(method, path, body);
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
      return r.json();
    };
    await must('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } });
    const node = await must('GET', `/api/v1/nodes/${NODE}`, undefined);
    node.status = {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: NODE }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
    };
    await must('PUT', `/api/v1/nodes/${NODE}/status`, node);
    const created = await must('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: POD, namespace: 'default' },
      spec: {
        nodeName: NODE,
        containers: [
          { name: 'app', image: 'busybox', stdin: true, ports: [{ containerPort: 80 }] },
          { name: 'side', image: 'busybox' },
        ],
      },
    });
    const uid = created.metadata.uid as string;
    const now = new Date().toISOString();
    created.status = {
      phase: 'Running', podIP: '10.42.0.5', hostIP: '127.0.0.1', startTime: now,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      containerStatuses: ['app', 'side'].map((name) => ({
        name, ready: true, restartCount: name === 'app' ? 1 : 0, image: 'busybox', imageID: 'local', containerID: `local://${uid}-${name}`,
        started: true, state: { running: { startedAt: now } },
      })),
    };
    const running = await must('PUT', `/api/v1/namespaces/default/pods/${POD}/status`, created);
    const pod = backend.addPod('default', POD, uid, running);
    return { server, kubelet, backend, pod, workDir, echoPort, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
