// The scheduler on a worker thread of its own: the leader-elected role talking HTTPS to the API
// server in a kubeconfig. `capstan server` runs it so that scheduling gets its own event loop (and
// core) instead of sharing the API server's. (`capstan scheduler` runs the role on its main
// thread: a bounded young generation on a thread was tried and cost ~10% throughput for no lower
// median RSS.)
//
// Contract with the parent (startSchedulerThread): workerData is SchedulerThreadOptions; the
// thread posts `{ log: string }` lines; the message 'stop' ends scheduling, after which the
// thread finishes in-flight bindings and exits on its own.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { schedulerClients, SchedulerRole, type KubeSchedulerConfiguration } from '../scheduler/index.js';

export interface SchedulerThreadOptions {
  kubeconfig: string;
  config?: KubeSchedulerConfiguration;
  /** Default true. */
  leaderElect?: boolean;
  userAgent?: string;
}

export interface SchedulerThread {
  /** Resolves when the thread has exited (after stop, or on its own after a failure). */
  readonly exited: Promise<void>;
  /** Stops scheduling; resolves when the thread has exited (terminated after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the scheduler thread; `log` receives its log lines. */
export function startSchedulerThread(opts: SchedulerThreadOptions, log: (msg: string) => void): SchedulerThread {
  const worker = new Worker(new URL(import.meta.url), { workerData: opts });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (m: { log?: string }) => { if (m.log) log(m.log); });
  worker.on('error', (e) => log(`thread failed: ${e.message}`));
  return {
    exited,
    async stop(graceMs = 10_000) {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function runInThread(port: NonNullable<typeof parentPort>, opts: SchedulerThreadOptions): Promise<void> {
  const log = (line: string) => port.postMessage({ log: line });
  const clients = schedulerClients(opts.kubeconfig, opts.userAgent);
  const stop = new AbortController();
  port.on('message', (m) => { if (m === 'stop') stop.abort(); });
  const role = new SchedulerRole({
    client: clients.client, bindingClient: clients.bindingClient, config: opts.config, leaderElect: opts.leaderElect ?? true,
    onError: (e) => log(`${(e as Error).message ?? String(e)} (will retry)`),
    onLeading: (id, on) => log(on ? `leading as ${id}: scheduling` : `stopped leading (${id})`),
  });
  await role.start(stop.signal);
  clients.close();
  port.close();
}

if (!isMainThread && parentPort && (workerData as Partial<SchedulerThreadOptions> | null)?.kubeconfig) {
  void runInThread(parentPort, workerData as SchedulerThreadOptions);
}
