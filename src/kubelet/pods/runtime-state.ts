// What the runtime holds for one pod, as the sync decision and the status generator read it: the
// pod's sandboxes and containers (found by the CRI labels, so adopted ones count too), newest
// first. Built by the pod worker once per sync from listPodSandbox/listContainers.
import type { PodSpec } from '../../api/index.js';
import type { ContainerRuntime, ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import { CONTAINER_NAME_LABEL, containerAttempt, sandboxPodUID } from './labels.js';

export type Container = NonNullable<PodSpec['containers']>[number];

export interface PodRuntimeState {
  /** Newest first. */
  sandboxes: PodSandboxStatus[];
  /** Containers of every sandbox of the pod, newest first. */
  containers: ContainerStatus[];
}

/** The container's name in the pod: its label, else the CRI name. */
export function containerName(c: ContainerStatus): string {
  return c.labels?.[CONTAINER_NAME_LABEL] ?? c.name;
}

/** The newest container named `name`, optionally only in sandbox `sandboxId`. */
export function latestContainer(state: PodRuntimeState, name: string, sandboxId?: string): ContainerStatus | undefined {
  return state.containers.find((c) => containerName(c) === name && (!sandboxId || c.sandboxId === sandboxId));
}

/** The container that ran before `current` under the same name (for lastState). */
export function previousContainer(state: PodRuntimeState, current: ContainerStatus): ContainerStatus | undefined {
  const name = containerName(current);
  const i = state.containers.findIndex((c) => c.id === current.id);
  return state.containers.slice(i + 1).find((c) => containerName(c) === name);
}

/** The attempt number a new container named `name` gets: one more than the newest's, else 0. */
export function nextAttempt(state: PodRuntimeState, name: string): number {
  const last = latestContainer(state, name);
  return last ? containerAttempt(last) + 1 : 0;
}

/** Newest first; equal creation times (a coarse clock) fall back to the attempt. */
function sandboxOrder(a: PodSandboxStatus, b: PodSandboxStatus): number {
  return b.createdAt - a.createdAt || (b.config.attempt ?? 0) - (a.config.attempt ?? 0);
}

function containerOrder(a: ContainerStatus, b: ContainerStatus): number {
  return b.createdAt - a.createdAt || containerAttempt(b) - containerAttempt(a);
}

/** What the runtime holds for one pod (its sandboxes by label, then their containers). */
export async function podRuntimeState(runtime: ContainerRuntime, uid: string): Promise<PodRuntimeState> {
  const sandboxes = (await runtime.listPodSandbox({ podUid: uid })).filter((s) => sandboxPodUID(s) === uid).sort(sandboxOrder);
  const containers: ContainerStatus[] = [];
  for (const s of sandboxes) containers.push(...await runtime.listContainers({ sandboxId: s.id }));
  return { sandboxes, containers: containers.sort(containerOrder) };
}

/** Groups everything the runtime has by pod uid (one listPodSandbox + one listContainers). */
export async function runtimeStateByPod(runtime: ContainerRuntime): Promise<Map<string, PodRuntimeState>> {
  const [sandboxes, containers] = await Promise.all([runtime.listPodSandbox(), runtime.listContainers()]);
  const byPod = new Map<string, PodRuntimeState>();
  const podOfSandbox = new Map<string, string>();
  for (const s of sandboxes.sort(sandboxOrder)) {
    const uid = sandboxPodUID(s);
    podOfSandbox.set(s.id, uid);
    let st = byPod.get(uid);
    if (!st) byPod.set(uid, st = { sandboxes: [], containers: [] });
    st.sandboxes.push(s);
  }
  for (const c of containers.sort(containerOrder)) {
    const uid = podOfSandbox.get(c.sandboxId);
    if (uid) byPod.get(uid)!.containers.push(c);
  }
  return byPod;
}
