// One pod's sync (upstream kubelet SyncPod / SyncTerminatingPod): performs computePodActions'
// actions against the runtime, then generates the status and hands it to the status manager.
// Called by PodWorkers, one call at a time per pod, with the runtime state read just before.
import type { Pod, PodStatus } from '../../api/index.js';
import type { StatusManager } from '../status/status-manager.js';
import { generatePodStatus } from '../status/pod-status.js';
import { killContainer, killPod, podGraceSeconds, specOf } from './container-kill.js';
import { startContainer } from './container-start.js';
import { podLabels } from './labels.js';
import { computePodActions } from './pod-actions.js';
import type { PodRuntimeState } from './runtime-state.js';
import { withTerminationMessages } from './termination-message.js';
import type { PodRecord, SyncContext } from './sync-context.js';

export interface SyncOutcome {
  /** Sync again after this long (back-off ends, deadlines). */
  requeueAfterMs?: number;
}

type ReadState = () => Promise<PodRuntimeState>;

function podIPOf(state: PodRuntimeState): string | undefined {
  return state.sandboxes.find((s) => s.state === 'ready')?.ip;
}

/** Terminal in the API or in what this kubelet last wrote (the informer may lag behind). */
function terminalPhase(pod: Pod, written: PodStatus | undefined): boolean {
  return [pod.status?.phase, written?.phase].some((p) => p === 'Succeeded' || p === 'Failed');
}

function soonest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

async function writeStatus(ctx: SyncContext, statuses: StatusManager, pod: Pod, rec: PodRecord, runtimeState: PodRuntimeState): Promise<void> {
  ctx.probes.update(pod, runtimeState, podIPOf(runtimeState));
  const state = await withTerminationMessages(runtimeState);
  const status = generatePodStatus({
    pod, state, now: ctx.clock.now(), hostIPs: ctx.hostIPs, startTime: rec.firstSeen, waiting: rec.waiting,
    health: ctx.probes, readinessSucceeded: ctx.probes.readinessSucceeded, failure: rec.failure, previous: statuses.lastWritten(rec.uid),
  });
  await statuses.setStatus(pod, status);
}

/** Brings a live (not deleted) pod in line with its spec. */
export async function syncPod(ctx: SyncContext, statuses: StatusManager, pod: Pod, rec: PodRecord, readState: ReadState): Promise<SyncOutcome> {
  let state = await readState();
  const now = ctx.clock.now();
  let requeue: number | undefined;

  // A terminal pod is never restarted: stop what still runs, keep reporting it.
  if (terminalPhase(pod, statuses.lastWritten(rec.uid)) || rec.failure) {
    if (state.containers.some((c) => c.state === 'running') || state.sandboxes.some((s) => s.state === 'ready')) {
      await killPod(ctx, pod, state, podGraceSeconds(pod), podIPOf(state));
      state = await readState();
    }
    ctx.probes.removePod(rec.uid);
    // Nothing left in the runtime (removed, or the node restarted): the API's final status stands.
    if (state.containers.length === 0) return {};
    await statuses.setStatus(pod, generatePodStatus({
      pod, state: await withTerminationMessages(state), now, hostIPs: ctx.hostIPs, startTime: rec.firstSeen, waiting: rec.waiting, health: ctx.probes, failure: rec.failure,
      previous: statuses.lastWritten(rec.uid),
    }));
    return {};
  }

  const deadline = pod.spec?.activeDeadlineSeconds;
  if (deadline !== undefined) {
    const started = pod.status?.startTime ? Date.parse(pod.status.startTime) : rec.firstSeen;
    const left = started + deadline * 1000 - now;
    if (left <= 0) {
      rec.failure = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
      ctx.event(pod, 'Normal', 'DeadlineExceeded', rec.failure.message);
      await killPod(ctx, pod, state, podGraceSeconds(pod), podIPOf(state));
      await writeStatus(ctx, statuses, pod, rec, await readState());
      return {};
    }
    requeue = left;
  }

  const actions = computePodActions(pod, state, ctx.probes);
  let podIP = podIPOf(state);
  const grace = podGraceSeconds(pod);
  if (actions.killPod) {
    for (const k of actions.containersToKill) {
      const c = state.containers.find((x) => x.id === k.containerId);
      if (c) await killContainer(ctx, pod, c, grace, k.message, podIP);
    }
    await killPod(ctx, pod, await readState(), grace, podIP);
    if (actions.createSandbox && state.sandboxes.length > 0) ctx.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    state = await readState();
  }
  let sandboxId = actions.sandboxId;
  if (actions.createSandbox) {
    rec.mounts = await ctx.deps.volumes.setUp(pod);
    const config = await ctx.deps.makeSandboxConfig(pod);
    try {
      sandboxId = await ctx.runtime.runPodSandbox({ ...config, attempt: actions.attempt, labels: { ...config.labels, ...podLabels(pod) } });
    } catch (e) {
      ctx.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      await writeStatus(ctx, statuses, pod, rec, state);
      return { requeueAfterMs: 10_000 };
    }
    podIP = (await ctx.runtime.podSandboxStatus(sandboxId))?.ip;
    state = await readState();
  }
  if (sandboxId) {
    // Every sync of a live pod sets its volumes up again (idempotent): configMap, secret,
    // downwardAPI and projected contents follow their objects (upstream's periodic remount), and
    // a pod adopted after a restart learns its mounts.
    if (!actions.createSandbox) rec.mounts = await ctx.deps.volumes.setUp(pod);
    if (!actions.killPod) {
      for (const k of actions.containersToKill) {
        const c = state.containers.find((x) => x.id === k.containerId);
        const probe = specOf(pod, k.name)?.[k.reason === 'StartupProbe' ? 'startupProbe' : 'livenessProbe'];
        if (c) await killContainer(ctx, pod, c, probe?.terminationGracePeriodSeconds ?? grace, k.message, podIP);
      }
    }
    for (const name of actions.initContainersToStart) {
      const spec = specOf(pod, name);
      if (!spec) continue;
      const r = await startContainer(ctx, pod, rec, spec, sandboxId, state, podIP);
      requeue = soonest(requeue, r.retryInMs);
      // The next init container waits for this one (a sidecar restarted beside app containers does not block).
      if (!r.started && actions.containersToStart.length === 0) break;
    }
    for (const name of actions.containersToStart) {
      const spec = specOf(pod, name);
      if (!spec) continue;
      const r = await startContainer(ctx, pod, rec, spec, sandboxId, state, podIP);
      requeue = soonest(requeue, r.retryInMs);
    }
  }
  await writeStatus(ctx, statuses, pod, rec, await readState());
  return { requeueAfterMs: requeue };
}

/**
 * A pod being deleted: preStop hooks and stopContainer within the deletion's grace period, the
 * sandboxes stopped and removed, volumes torn down, the final status written, then the deletion
 * confirmed. Retried until the confirmation succeeds; the teardown is idempotent.
 */
export async function terminatePod(ctx: SyncContext, statuses: StatusManager, pod: Pod, rec: PodRecord, readState: ReadState): Promise<void> {
  if (!rec.terminated) {
    let state = await readState();
    await killPod(ctx, pod, state, podGraceSeconds(pod), podIPOf(state));
    state = await withTerminationMessages(await readState());
    const final = generatePodStatus({
      pod, state, now: ctx.clock.now(), hostIPs: ctx.hostIPs, startTime: rec.firstSeen, waiting: new Map(),
      health: ctx.probes, readinessSucceeded: new Set(), failure: rec.failure, previous: statuses.lastWritten(rec.uid),
    });
    // A deleted pod ends terminal (upstream: Succeeded if every container exited 0, else Failed).
    if (final.phase !== 'Succeeded' && final.phase !== 'Failed') {
      const all = state.containers.filter((c) => c.state === 'exited');
      final.phase = all.length > 0 && all.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    for (const s of state.sandboxes) await ctx.runtime.removePodSandbox(s.id);
    await ctx.deps.volumes.tearDown(rec.uid);
    ctx.probes.removePod(rec.uid);
    await statuses.setStatus(pod, final);
    rec.terminated = true;
  }
  await statuses.confirmDeletion(pod);
}

/** What the runtime still holds for a pod that is gone from the API: stopped and removed. */
export async function cleanUpPod(ctx: SyncContext, uid: string, state: PodRuntimeState): Promise<void> {
  for (const s of state.sandboxes) {
    if (s.state === 'ready') await ctx.runtime.stopPodSandbox(s.id);
    await ctx.runtime.removePodSandbox(s.id);
  }
  await ctx.deps.volumes.tearDown(uid);
  ctx.probes.removePod(uid);
}
