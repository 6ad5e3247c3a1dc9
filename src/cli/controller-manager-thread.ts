// The controller manager `capstan server` runs, on a worker thread of its own: the same
// leader-elected role as `capstan controller-manager`, talking HTTPS to this server with the admin
// kubeconfig, so reconciling gets its own event loop instead of sharing the API server's.
//
// Contract with the parent (startControllerManagerThread): workerData is
// `{ kubeconfig: path, controllers: string[], config?: ControllerConfig }`; the thread posts `{ log: string }` lines; the
// message 'stop' ends the controllers, after which the thread finishes in-flight writes, releases
// the lease and exits on its own.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client, transportFromKubeconfig } from '../client/index.js';
import { ControllerManager, type ControllerConfig } from '../controllers/index.js';

export interface ControllerManagerThread {
  /** Stops the controllers; resolves when the thread has exited (terminated after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

interface ThreadData { controllerManagerKubeconfig: string; controllers: string[]; config?: ControllerConfig }

/** Starts the controller manager thread; `log` receives its log lines. */
export function startControllerManagerThread(kubeconfig: string, controllers: string[], log: (msg: string) => void, config?: ControllerConfig): ControllerManagerThread {
  const data: ThreadData = { controllerManagerKubeconfig: kubeconfig, controllers, config };
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (m: { log?: string }) => { if (m.log) log(m.log); });
  worker.on('error', (e) => log(`thread failed: ${e.message}`));
  return {
    async stop(graceMs = 10_000) {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function runInThread(port: NonNullable<typeof parentPort>, data: ThreadData): Promise<void> {
  const log = (line: string) => port.postMessage({ log: line });
  const client = new Client(transportFromKubeconfig(data.controllerManagerKubeconfig, { userAgent: 'capstan-server/controller-manager' }));
  const stop = new AbortController();
  port.on('message', (m) => { if (m === 'stop') stop.abort(); });
  const manager = new ControllerManager({
    client, controllers: data.controllers, config: data.config,
    onError: (e) => log(`${(e as Error).message ?? String(e)} (will retry)`),
    onLeading: (id, on) => log(on ? `leading as ${id}: running controllers` : `stopped leading (${id})`),
  });
  await manager.start(stop.signal);
  client.close();
  port.close();
}

if (!isMainThread && parentPort && (workerData as Partial<ThreadData> | null)?.controllerManagerKubeconfig) {
  void runInThread(parentPort, workerData as ThreadData);
}
