// Starting one container (upstream kuberuntime startContainer): CrashLoopBackOff for a container
// that ran before, the image by its pull policy, the config from the config builder, create,
// start, then the postStart hook — the container counts as started only once the hook returned,
// and a failed hook kills it. Waiting reasons land in the pod's record for the status.
import type { Pod } from '../../api/index.js';
import { formatDuration } from './backoff.js';
import { killContainer, podGraceSeconds } from './container-kill.js';
import { ContainerConfigError } from './deps.js';
import { runLifecycleHook } from './hooks.js';
import { CONTAINER_HASH_ANNOTATION, containerHash, containerLabels, podDesc, RESTART_COUNT_ANNOTATION } from './labels.js';
import { containerName, latestContainer, nextAttempt, type Container, type PodRuntimeState } from './runtime-state.js';
import type { PodRecord, SyncContext } from './sync-context.js';

export interface StartOutcome {
  started: boolean;
  /** Try again after this long (back-off, image pull back-off). */
  retryInMs?: number;
}

export async function startContainer(
  ctx: SyncContext, pod: Pod, rec: PodRecord, spec: Container, sandboxId: string, state: PodRuntimeState, podIP?: string,
): Promise<StartOutcome> {
  const name = spec.name ?? '';
  const event = (type: 'Normal' | 'Warning', reason: string, message: string) => ctx.event(pod, type, reason, message, name);
  const prev = latestContainer(state, name);
  if (prev?.state === 'exited') {
    const key = `${rec.uid}/${name}/${spec.image}`;
    const finished = prev.finishedAt ?? ctx.clock.now();
    const wait = ctx.crashBackoff.remaining(key, finished);
    if (wait > 0) {
      rec.waiting.set(name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatDuration(ctx.crashBackoff.get(key))} restarting failed container=${name} pod=${podDesc(pod)}`,
      });
      event('Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podDesc(pod)}`);
      return { started: false, retryInMs: wait };
    }
    ctx.crashBackoff.next(key, finished);
  }
  const image = await ctx.puller.ensureImage(pod, spec, () => ctx.deps.pullSecrets(pod), event);
  if (!image.ok) {
    rec.waiting.set(name, { reason: image.reason, message: image.message });
    return { started: false, retryInMs: image.retryInMs };
  }
  const attempt = nextAttempt(state, name);
  let config;
  try {
    config = await ctx.deps.makeContainerConfig(pod, spec, { restartCount: attempt, podIP, imageRef: image.imageRef, mounts: rec.mounts?.get(name) ?? [] });
  } catch (e) {
    if (!(e instanceof ContainerConfigError)) throw e;
    rec.waiting.set(name, { reason: 'CreateContainerConfigError', message: e.message });
    event('Warning', 'Failed', `Error: ${e.message}`);
    return { started: false, retryInMs: 10_000 };
  }
  config = {
    ...config, attempt, imageRef: config.imageRef ?? image.imageRef,
    labels: { ...config.labels, ...containerLabels(pod, name) },
    annotations: { ...config.annotations, [RESTART_COUNT_ANNOTATION]: String(attempt), [CONTAINER_HASH_ANNOTATION]: containerHash(spec) },
    logPath: config.logPath ?? `${name}/${attempt}.log`,
  };
  // Only the newest exited run is kept (for lastState and `logs --previous`); one never started goes.
  for (const c of state.containers) {
    if (containerName(c) !== name) continue;
    if ((c !== prev && c.state === 'exited') || c.state === 'created') await ctx.runtime.removeContainer(c.id);
  }
  let id: string;
  try {
    id = await ctx.runtime.createContainer(sandboxId, config);
  } catch (e) {
    rec.waiting.set(name, { reason: 'CreateContainerError', message: (e as Error).message });
    event('Warning', 'Failed', `Error: ${(e as Error).message}`);
    return { started: false, retryInMs: 10_000 };
  }
  event('Normal', 'Created', `Created container: ${name}`);
  try {
    await ctx.runtime.startContainer(id);
  } catch (e) {
    // A container that never started is removed, so the next sync creates it afresh.
    await ctx.runtime.removeContainer(id);
    rec.waiting.set(name, { reason: 'RunContainerError', message: (e as Error).message });
    event('Warning', 'Failed', `Error: ${(e as Error).message}`);
    return { started: false, retryInMs: 10_000 };
  }
  rec.waiting.delete(name);
  event('Normal', 'Started', `Started container ${name}`);
  const postStart = spec.lifecycle?.postStart;
  if (postStart) {
    const failed = await runLifecycleHook(postStart, { runtime: ctx.runtime, pod, container: spec, containerId: id, podIP }, podGraceSeconds(pod) * 1000);
    if (failed) {
      event('Warning', 'FailedPostStartHook', failed);
      const c = await ctx.runtime.containerStatus(id);
      if (c) await killContainer(ctx, pod, c, podGraceSeconds(pod), 'FailedPostStartHook', podIP);
      return { started: false };
    }
  }
  return { started: true };
}
