// Lifecycle hooks (upstream kuberuntime handlers.go): postStart after a container starts, preStop
// before it is stopped. exec runs through the runtime's execSync, httpGet against the pod IP,
// sleep waits. Resolves with an error message on failure (the caller records the event), never throws.
import type { Pod } from '../../api/index.js';
import { sleep } from '../../client/index.js';
import type { ContainerRuntime } from '../../runtime/index.js';
import { runHandler, type Handler } from '../probes/prober.js';
import { podDesc } from './labels.js';
import type { Container } from './runtime-state.js';

export type LifecycleHandler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

export interface HookTarget {
  runtime: ContainerRuntime;
  pod: Pod;
  container: Container;
  containerId: string;
  podIP?: string;
}

/** Runs the handler within `timeoutMs`; undefined on success, else upstream's failure message. */
export async function runLifecycleHook(handler: LifecycleHandler, t: HookTarget, timeoutMs: number): Promise<string | undefined> {
  const where = `for Container "${t.container.name}" in Pod "${podDesc(t.pod)}"`;
  if (handler.sleep) {
    await sleep(Math.min((handler.sleep.seconds ?? 0) * 1000, timeoutMs));
    return undefined;
  }
  const kind = handler.exec ? `Exec lifecycle hook (${JSON.stringify(handler.exec.command ?? [])})` : handler.httpGet ? `HTTP lifecycle hook (${handler.httpGet.path ?? '/'})` : 'lifecycle hook';
  try {
    const r = await runHandler(handler as Handler, { runtime: t.runtime, containerId: t.containerId, container: t.container, podIP: t.podIP }, timeoutMs);
    if (r.result !== 'failure') return undefined;
    const error = handler.exec ? `command '${(handler.exec.command ?? []).join(' ')}' exited with non-zero status` : r.output;
    return `${kind} ${where} failed - error: ${error}, message: ${JSON.stringify(handler.exec ? r.output : '')}`;
  } catch (e) {
    return `${kind} ${where} failed - error: ${(e as Error).message}, message: ""`;
  }
}
