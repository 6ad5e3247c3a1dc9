// Stopping containers and pods (upstream killContainer / killPodWithSyncResult): a Killing event,
// the preStop hook within the grace period, then stopContainer with what is left of it (at least
// 2 s, upstream's minimumGracePeriodInSeconds). Containers of a pod are stopped in parallel.
import type { Pod } from '../../api/index.js';
import type { ContainerStatus } from '../../runtime/index.js';
import { runLifecycleHook } from './hooks.js';
import { containerName, type Container, type PodRuntimeState } from './runtime-state.js';
import type { SyncContext } from './sync-context.js';

const MIN_GRACE_SECONDS = 2;
const DEFAULT_GRACE_SECONDS = 30;

export function specOf(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
}

/** The grace period for stopping the pod's containers now: the deletion's, else the spec's (default 30). */
export function podGraceSeconds(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

export async function killContainer(ctx: SyncContext, pod: Pod, c: ContainerStatus, graceSeconds: number, message?: string, podIP?: string): Promise<void> {
  const name = containerName(c);
  const spec = specOf(pod, name);
  ctx.event(pod, 'Normal', 'Killing', message || `Stopping container ${name}`, name);
  let grace = graceSeconds;
  const preStop = spec?.lifecycle?.preStop;
  if (preStop && spec && c.state === 'running') {
    const started = ctx.clock.now();
    const failed = await runLifecycleHook(preStop, { runtime: ctx.runtime, pod, container: spec, containerId: c.id, podIP }, grace * 1000);
    if (failed) ctx.event(pod, 'Warning', 'FailedPreStopHook', failed, name);
    grace -= Math.floor((ctx.clock.now() - started) / 1000);
  }
  await ctx.runtime.stopContainer(c.id, Math.max(grace, MIN_GRACE_SECONDS));
}

/**
 * Stops every running container and then every ready sandbox of the pod: app (and regular init)
 * containers in parallel first, then sidecars one by one in reverse spec order, as upstream stops
 * restartable init containers after the containers they serve.
 */
export async function killPod(ctx: SyncContext, pod: Pod, state: PodRuntimeState, graceSeconds: number, podIP?: string): Promise<void> {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name ?? '');
  const runningNow = state.containers.filter((c) => c.state === 'running');
  await Promise.all(runningNow.filter((c) => !sidecars.includes(containerName(c))).map((c) => killContainer(ctx, pod, c, graceSeconds, undefined, podIP)));
  for (const name of [...sidecars].reverse()) {
    for (const c of runningNow.filter((x) => containerName(x) === name)) await killContainer(ctx, pod, c, graceSeconds, undefined, podIP);
  }
  for (const s of state.sandboxes) if (s.state === 'ready') await ctx.runtime.stopPodSandbox(s.id);
}
