// Test servers: an in-process API server on a random port with a temp data dir (fast), or a
// real `capstan server` child process (for restarts and kill -9). Both write an admin
// kubeconfig and are torn down by `stop()`, which tests call in `after`/`finally`.
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ApiServer, loadOrCreatePki, renderKubeconfig, writeKubeconfig, type Pki } from '../../src/apiserver/index.js';
import { openSqliteStore, createMemoryStore, type Store } from '../../src/store/index.js';

/** The checkout's root: the nearest folder above this file holding bin/capstan (works from src and dist). */
export const REPO_ROOT = (() => {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'bin', 'capstan')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export interface TestServer {
  dataDir: string;
  /** The cluster PKI (issue kubelet serving certificates in tests). */
  pki: Pki;
  kubeconfig: string;
  url: string;
  port: number;
  api: ApiServer;
  store: Store;
  stop(): Promise<void>;
}

export async function startTestServer(opts: { memory?: boolean; dataDir?: string; bookmarkIntervalMs?: number; eventTTLSeconds?: number } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'capstan-test-'));
  const pki = await loadOrCreatePki(join(dataDir, 'server', 'tls'), { hostnames: [], ips: [] });
  mkdirSync(join(dataDir, 'server', 'db'), { recursive: true });
  const store = opts.memory ? createMemoryStore() : openSqliteStore({ path: join(dataDir, 'server', 'db', 'state.db') });
  const api = await ApiServer.start({
    store,
    listen: { tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem }, bindAddress: '127.0.0.1', port: 0 },
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    eventTTLSeconds: opts.eventTTLSeconds,
    kubeletClient: { certPem: pki.kubeletClientCertPem, keyPem: pki.kubeletClientKeyPem, caPem: pki.caCertPem },
  });
  const url = `https://127.0.0.1:${api.port}`;
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  await writeKubeconfig(kubeconfig, renderKubeconfig({ server: url, caPem: pki.caCertPem, clientCertPem: pki.adminCertPem, clientKeyPem: pki.adminKeyPem }));
  return {
    dataDir, pki, kubeconfig, url, port: api.port, api, store,
    async stop() {
      await api.stop();
      await store.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
  dataDir: string;
  kubeconfig: string;
  port: number;
  /** Everything the process wrote to stderr so far. */
  logs(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  terminate(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill9(): Promise<void>;
}

/**
 * Starts `bin/capstan server` on a free port and resolves when it reports ready. It runs no node
 * agent (tests bring their own nodes: hollow ones, or `capstan agent` in test/support/node-cluster.ts)
 * unless `opts.agent` asks for the in-process one.
 */
export async function spawnServer(dataDir: string, port = 0, extraArgs: string[] = [], opts: { agent?: boolean } = {}): Promise<ServerProcess> {
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  const before = existsSync(kubeconfig) ? readFileSync(kubeconfig, 'utf8') : undefined;
  // CAPSTAN_SERVER_NODE_ARGS: extra node flags for the child, e.g. `--cpu-prof` when profiling a benchmark.
  const nodeArgs = (process.env.CAPSTAN_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, 'bin', 'capstan'), 'server', '--data-dir', dataDir, '--https-listen-port', String(port), '--bind-address', '127.0.0.1', ...(opts.agent ? [] : ['--disable-agent']), ...extraArgs.filter((a) => a !== '--disable-agent')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not become ready:\n${stderr}`)), 60_000);
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (/capstan: ready/.test(stderr)) {
        clearTimeout(timer);
        resolvePromise();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  const text = readFileSync(kubeconfig, 'utf8');
  void before;
  const m = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(text);
  return {
    child, dataDir, kubeconfig, port: Number(m?.[1] ?? port),
    logs: () => stderr,
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function tempDir(prefix = 'capstan-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
