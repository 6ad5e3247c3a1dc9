// Upstream convertToAPIContainerStatuses: one API ContainerStatus per container of the spec, from
// the newest runtime container of that name (state), the one before it (lastState) and the
// waiting reason the pod worker recorded (image pulls, back-off, config errors). Pure.
import type { PodStatus } from '../../api/index.js';
import type { ContainerStatus as RuntimeContainer } from '../../runtime/index.js';
import type { ContainerHealth } from '../pods/pod-actions.js';
import { containerStarted } from '../pods/pod-actions.js';
import { containerAttempt } from '../pods/labels.js';
import { latestContainer, previousContainer, type Container, type PodRuntimeState } from '../pods/runtime-state.js';

export type APIContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];
export type APIContainerState = NonNullable<APIContainerStatus['state']>;

export interface Waiting { reason: string; message?: string }

/** RFC 3339 with seconds, as the API serialises metav1.Time. */
export function apiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function terminatedState(c: RuntimeContainer): APIContainerState {
  const exitCode = c.exitCode ?? 0;
  return {
    terminated: {
      exitCode,
      reason: c.reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      ...(c.startedAt !== undefined ? { startedAt: apiTime(c.startedAt) } : {}),
      ...(c.finishedAt !== undefined ? { finishedAt: apiTime(c.finishedAt) } : {}),
      containerID: c.id,
    },
  };
}

export interface ConvertInput {
  state: PodRuntimeState;
  waiting: ReadonlyMap<string, Waiting>;
  health: ContainerHealth;
  /** Containers whose readiness probe last succeeded (by runtime id). */
  readinessSucceeded: ReadonlySet<string>;
  /** ContainerCreating, or PodInitializing when the pod has init containers. */
  defaultWaiting: string;
  /** The statuses the API shows now, by container name. */
  old?: ReadonlyMap<string, APIContainerStatus>;
}

/** A regular init container counts as ready once it completed; everything else by its probes. */
export function convertContainerStatus(spec: Container, input: ConvertInput, regularInit: boolean): APIContainerStatus {
  const name = spec.name ?? '';
  const cur = latestContainer(input.state, name);
  const waiting = input.waiting.get(name);
  const out: APIContainerStatus = { name, image: spec.image ?? '', imageID: '', ready: false, restartCount: 0, started: false };
  if (!cur) {
    out.state = { waiting: waiting ?? { reason: input.defaultWaiting } };
    // The runtime lost the container (a node restart): the count and last run carry over, as upstream.
    const old = input.old?.get(name);
    if (old) {
      out.restartCount = old.restartCount ?? 0;
      out.lastState = old.state?.terminated ? { terminated: old.state.terminated } : old.lastState ?? {};
    }
    return out;
  }
  out.restartCount = containerAttempt(cur);
  out.image = cur.image || out.image;
  out.imageID = cur.imageRef;
  out.containerID = cur.id;
  const prev = previousContainer(input.state, cur);
  if (cur.state === 'running') {
    out.state = { running: { startedAt: apiTime(cur.startedAt ?? cur.createdAt) } };
    out.started = containerStarted(spec, cur, input.health);
    out.ready = out.started && !regularInit && (!spec.readinessProbe || input.readinessSucceeded.has(cur.id));
    if (prev?.state === 'exited') out.lastState = terminatedState(prev);
  } else if (cur.state === 'exited') {
    if (waiting) {
      out.state = { waiting };
      out.lastState = terminatedState(cur);
    } else {
      out.state = terminatedState(cur);
      if (prev?.state === 'exited') out.lastState = terminatedState(prev);
    }
    out.ready = regularInit && cur.exitCode === 0;
  } else {
    out.state = { waiting: waiting ?? { reason: 'ContainerCreating' } };
    if (prev?.state === 'exited') out.lastState = terminatedState(prev);
  }
  if (out.lastState === undefined) out.lastState = {};
  return out;
}
