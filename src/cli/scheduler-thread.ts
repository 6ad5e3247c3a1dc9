// The scheduler `capstan server` runs, on a worker thread of its own: the same leader-elected role
// as `capstan scheduler`, talking HTTPS to this server with the admin kubeconfig, so scheduling
// gets its own event loop (and core) instead of sharing the API server's.
//
// Contract with the parent (startSchedulerThread): workerData is `{ kubeconfig: path }`; the
// thread posts `{ log: string }` lines; the message 'stop' ends scheduling, after which the
// thread finishes in-flight bindings and exits on its own.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client, transportFromKubeconfig } from '../client/index.js';
import { SchedulerRole } from '../scheduler/index.js';

export interface SchedulerThread {
  /** Stops scheduling; resolves when the thread has exited (terminated after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the scheduler thread; `log` receives its log lines. */
export function startSchedulerThread(kubeconfig: string, log: (msg: string) => void): SchedulerThread {
  const worker = new Worker(new URL(import.meta.url), { workerData: { kubeconfig } });
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

async function runInThread(port: NonNullable<typeof parentPort>, kubeconfig: string): Promise<void> {
  const log = (line: string) => port.postMessage({ log: line });
  const client = new Client(transportFromKubeconfig(kubeconfig, { userAgent: 'capstan-server/scheduler' }));
  const stop = new AbortController();
  port.on('message', (m) => { if (m === 'stop') stop.abort(); });
  const role = new SchedulerRole({
    client,
    onError: (e) => log(`${(e as Error).message ?? String(e)} (will retry)`),
    onLeading: (id, on) => log(on ? `leading as ${id}: scheduling` : `stopped leading (${id})`),
  });
  await role.start(stop.signal);
  client.close();
  port.close();
}

if (!isMainThread && parentPort && (workerData as { kubeconfig?: string } | null)?.kubeconfig) {
  void runInThread(parentPort, (workerData as { kubeconfig: string }).kubeconfig);
}
