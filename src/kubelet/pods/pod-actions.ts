// The sync decision, as upstream kuberuntime computePodActions: a pure function of the pod's spec,
// what the runtime holds for it and the probe verdicts, returning what the pod worker must do.
// Backoff, image pulls and hooks are applied by the worker when it performs the starts.
//
// Order the worker must keep: kill the pod (if asked), create the sandbox, kill containers, start
// init containers in the listed order, then app containers.
import type { Pod } from '../../api/index.js';
import type { ContainerStatus } from '../../runtime/index.js';
import { CONTAINER_HASH_ANNOTATION, containerHash } from './labels.js';
import { latestContainer, type Container, type PodRuntimeState } from './runtime-state.js';

/** Probe verdicts by runtime container id (from the prober). */
export interface ContainerHealth {
  /** Containers whose liveness probe reached failureThreshold. */
  livenessFailed: ReadonlySet<string>;
  /** Containers whose startup probe reached failureThreshold. */
  startupFailed: ReadonlySet<string>;
  /** Containers whose startup probe succeeded (containers without one are started once running). */
  startupSucceeded: ReadonlySet<string>;
}

export const NO_HEALTH: ContainerHealth = { livenessFailed: new Set(), startupFailed: new Set(), startupSucceeded: new Set() };

export interface ContainerToKill {
  containerId: string;
  name: string;
  /** Why (upstream's internal reasons): `LivenessProbe`, `StartupProbe`, `SpecChanged`. */
  reason: string;
  /** The Killing event's message. */
  message: string;
}

export interface PodActions {
  /** Stop every running container and the sandbox(es) before anything else. */
  killPod: boolean;
  createSandbox: boolean;
  /** The sandbox to start containers in when not creating one. */
  sandboxId?: string;
  /** The new sandbox's attempt when creating one. */
  attempt: number;
  /** Init containers (regular or sidecar) to start now, in order. */
  initContainersToStart: string[];
  /** App containers to start now. */
  containersToStart: string[];
  containersToKill: ContainerToKill[];
  /** An init container failed and restartPolicy is Never: the pod fails. */
  initFailed?: string;
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export function restartPolicy(pod: Pod): RestartPolicy {
  const p = pod.spec?.restartPolicy;
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

/** A sidecar: an init container with restartPolicy Always (runs beside the app containers). */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function running(c: ContainerStatus | undefined): c is ContainerStatus {
  return c?.state === 'running';
}

function succeeded(c: ContainerStatus | undefined): boolean {
  return c?.state === 'exited' && c.exitCode === 0;
}

/** Upstream ShouldContainerBeRestarted for a container that is not running (created or unknown: always). */
function shouldRestart(policy: RestartPolicy, c: ContainerStatus): boolean {
  if (c.state === 'created' || c.state === 'unknown') return true;
  if (policy === 'Always') return true;
  if (policy === 'Never') return false;
  return !succeeded(c);
}

/** Started: running, postStart done (the worker returns only after it) and the startup probe passed. */
export function containerStarted(spec: Container, c: ContainerStatus | undefined, health: ContainerHealth): boolean {
  return running(c) && (!spec.startupProbe || health.startupSucceeded.has(c.id));
}

/** A kill for a failed liveness/startup probe, if any (upstream's messages). */
function probeKill(spec: Container, c: ContainerStatus, health: ContainerHealth, restart: boolean): ContainerToKill | undefined {
  let reason: string | undefined;
  let message = '';
  if (health.livenessFailed.has(c.id)) [reason, message] = ['LivenessProbe', `Container ${spec.name} failed liveness probe`];
  else if (health.startupFailed.has(c.id)) [reason, message] = ['StartupProbe', `Container ${spec.name} failed startup probe`];
  if (!reason) return undefined;
  return { containerId: c.id, name: spec.name ?? '', reason, message: restart ? `${message}, will be restarted` : message };
}

export function computePodActions(pod: Pod, state: PodRuntimeState, health: ContainerHealth = NO_HEALTH): PodActions {
  const policy = restartPolicy(pod);
  const inits = pod.spec?.initContainers ?? [];
  const apps = pod.spec?.containers ?? [];
  const actions: PodActions = { killPod: false, createSandbox: false, attempt: 0, initContainersToStart: [], containersToStart: [], containersToKill: [] };
  const latest = state.sandboxes[0];
  const readyCount = state.sandboxes.filter((s) => s.state === 'ready').length;

  // Upstream podSandboxChanged: no sandbox, the newest not ready, or more than one ready.
  if (!latest || latest.state !== 'ready' || readyCount > 1) {
    actions.createSandbox = true;
    actions.attempt = latest ? (latest.config.attempt ?? 0) + 1 : 0;
    actions.killPod = readyCount > 0 || state.containers.some(running);
    // A Never pod whose containers already ran is done: it gets no new sandbox.
    if (policy === 'Never' && latest && state.containers.length > 0) {
      actions.createSandbox = false;
      return actions;
    }
    if (inits.length > 0) {
      actions.initContainersToStart = [inits[0]!.name ?? ''];
      return actions;
    }
    actions.containersToStart = apps
      .filter((c) => !(policy === 'OnFailure' && succeeded(latestContainer(state, c.name ?? ''))))
      .map((c) => c.name ?? '');
    if (actions.containersToStart.length === 0) actions.createSandbox = false;
    return actions;
  }

  actions.sandboxId = latest.id;
  const current = (name: string | undefined) => latestContainer(state, name ?? '', latest.id);
  // Initialized once an app container was created in this sandbox (upstream hasAnyRegularContainerCreated),
  // or every regular init container exited 0 and every sidecar started.
  const initialized = apps.some((c) => current(c.name));
  for (const ic of inits) {
    const name = ic.name ?? '';
    const c = current(name);
    if (isSidecar(ic)) {
      if (running(c)) {
        const kill = probeKill(ic, c, health, true);
        if (kill) {
          actions.containersToKill.push(kill);
          actions.initContainersToStart.push(name);
          if (!initialized) return actions;
          continue;
        }
        if (initialized || containerStarted(ic, c, health)) continue;
        return actions;
      }
      actions.initContainersToStart.push(name);
      if (initialized) continue;
      return actions;
    }
    if (initialized) continue;
    if (!c) {
      actions.initContainersToStart.push(name);
      return actions;
    }
    if (c.state === 'running') return actions;
    // Created but never started (the runtime failed to start it): start it again, as upstream.
    if (c.state === 'created' || c.state === 'unknown') {
      actions.initContainersToStart.push(name);
      return actions;
    }
    if (succeeded(c)) continue;
    if (policy === 'Never') {
      actions.initFailed = name;
      actions.killPod = true;
      return actions;
    }
    actions.initContainersToStart.push(name);
    return actions;
  }

  let keep = 0;
  for (const spec of apps) {
    const name = spec.name ?? '';
    const c = current(name);
    if (!c) {
      // Under OnFailure a container that succeeded in an earlier sandbox stays done.
      if (!(policy === 'OnFailure' && succeeded(latestContainer(state, name)))) actions.containersToStart.push(name);
      continue;
    }
    if (running(c)) {
      // The spec changed (a new image): restarted whatever the restart policy, as upstream.
      const hash = c.annotations?.[CONTAINER_HASH_ANNOTATION];
      if (hash !== undefined && hash !== containerHash(spec)) {
        actions.containersToKill.push({ containerId: c.id, name, reason: 'SpecChanged', message: `Container ${name} definition changed, will be restarted` });
        actions.containersToStart.push(name);
        continue;
      }
      const kill = probeKill(spec, c, health, policy !== 'Never');
      if (!kill) {
        keep++;
        continue;
      }
      actions.containersToKill.push(kill);
      if (policy !== 'Never') actions.containersToStart.push(name);
      continue;
    }
    if (shouldRestart(policy, c)) actions.containersToStart.push(name);
  }
  // Nothing left to run: the pod is done, sidecars and sandbox go too (upstream keepCount == 0).
  if (keep === 0 && actions.containersToStart.length === 0 && apps.length > 0) {
    actions.killPod = true;
    actions.initContainersToStart = [];
  }
  return actions;
}
