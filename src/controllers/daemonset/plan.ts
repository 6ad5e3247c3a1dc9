// The DaemonSet controller's pure core (upstream pkg/controller/daemon manage/podsShouldBeOnNode,
// update.go rollingUpdate, updateDaemonSetStatus): from the nodes and the daemon pods grouped by
// the node they target, which nodes need a pod, which pods must go, and the status counters.
// Nodes are visited in name order so a plan is deterministic.
import type { DaemonSet, Node, Pod } from '../../api/index.js';
import { POD_REVISION_LABEL } from '../history/index.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';

export interface SyncPlan {
  /** Nodes that get a new daemon pod. */
  createOn: string[];
  /** Pods to delete. */
  deletePods: Pod[];
  /** Failed pods among deletePods (reported as FailedDaemonPod). */
  failedPods: Pod[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const creation = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;

/** Upstream podByCreationTimestampAndPhase: Running before others, then oldest, then name. */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const ar = a.status?.phase === 'Running' ? 0 : 1;
  const br = b.status?.phase === 'Running' ? 0 : 1;
  return ar - br || creation(a) - creation(b) || byName(a.metadata?.name ?? '', b.metadata?.name ?? '');
}

/** Upstream util.IsPodUpdated (by revision hash). */
export function isPodUpdated(pod: Pod, hash: string): boolean {
  return pod.metadata?.labels?.[POD_REVISION_LABEL] === hash;
}

/** Upstream util.AllowsSurge. */
function surgeAllowed(ds: DaemonSet, desired: number): boolean {
  const ru = ds.spec?.updateStrategy;
  return ru?.type !== 'OnDelete' && scaled(ru?.rollingUpdate?.maxSurge, desired) > 0;
}

/** Upstream intstr.GetScaledValueFromIntOrPercent rounding up. */
export function scaled(v: number | string | undefined | null, total: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number.isInteger(Number(v)) ? Number(v) : 0;
}

/** Upstream manage: per node, create the missing pod, delete failed, excess or misplaced pods. */
export function planManage(ds: DaemonSet, nodes: readonly Node[], nodeToPods: ReadonlyMap<string, readonly Pod[]>, hash: string, now: number): SyncPlan {
  const plan: SyncPlan = { createOn: [], deletePods: [], failedPods: [] };
  const spec = ds.spec?.template?.spec ?? {};
  const allowsSurge = surgeAllowed(ds, nodes.length);
  const known = new Set<string>();
  for (const node of [...nodes].sort((a, b) => byName(a.metadata?.name ?? '', b.metadata?.name ?? ''))) {
    const name = node.metadata?.name ?? '';
    known.add(name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, spec);
    const pods = nodeToPods.get(name) ?? [];
    if (shouldRun && pods.length === 0) {
      plan.createOn.push(name);
      continue;
    }
    if (!shouldContinueRunning) {
      for (const p of pods) if (!p.metadata?.deletionTimestamp) plan.deletePods.push(p);
      continue;
    }
    const running: Pod[] = [];
    for (const p of pods) {
      if (p.metadata?.deletionTimestamp) continue;
      if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') {
        plan.deletePods.push(p);
        if (p.status?.phase === 'Failed') plan.failedPods.push(p);
        continue;
      }
      running.push(p);
    }
    // A node whose pods all failed gets its replacement once they are gone (next sync).
    if (running.length <= 1) continue;
    running.sort(compareDaemonPods);
    if (!allowsSurge) {
      plan.deletePods.push(...running.slice(1));
      continue;
    }
    // With surge, an old and a new pod may coexist until the new one is available.
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const p of running) {
      if (isPodUpdated(p, hash) && !oldestNew) oldestNew = p;
      else if (!isPodUpdated(p, hash) && !oldestOld) oldestOld = p;
      else plan.deletePods.push(p);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now))) plan.deletePods.push(oldestOld);
  }
  // Unscheduled pods pinned to nodes that no longer exist.
  for (const [name, pods] of nodeToPods) {
    if (known.has(name)) continue;
    for (const p of pods) if (!p.spec?.nodeName && !p.metadata?.deletionTimestamp) plan.deletePods.push(p);
  }
  return plan;
}

/** Upstream findUpdatedPodsOnNode: the node's new and old pod, or ok=false if it has duplicates. */
function updatedPodsOnNode(pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(p, hash)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * Upstream rollingUpdate: without surge, delete old pods while at most maxUnavailable nodes lack
 * an available pod (old unavailable pods go regardless); with surge, start new pods beside old
 * available ones on at most maxSurge nodes and delete each old pod once its new one is available.
 * `nodeToPods` must hold an entry (maybe empty) for every node that should run the pod.
 */
export function planRollingUpdate(ds: DaemonSet, nodes: readonly Node[], nodeToPods: ReadonlyMap<string, readonly Pod[]>, hash: string, now: number): SyncPlan {
  const spec = ds.spec?.template?.spec ?? {};
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const all = new Map(nodeToPods);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, spec).shouldRun) continue;
    desired++;
    if (!all.has(node.metadata?.name ?? '')) all.set(node.metadata?.name ?? '', []);
  }
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  let maxUnavailable = scaled(ru?.maxUnavailable ?? 1, desired);
  const maxSurge = scaled(ru?.maxSurge ?? 0, desired);
  if (maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const names = [...all.keys()].sort(byName);
  const plan: SyncPlan = { createOn: [], deletePods: [], failedPods: [] };
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const name of names) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(all.get(name)!, hash);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) unavailable++;
      else if (newPod) {
        if (!isPodAvailable(newPod, minReady, now)) unavailable++;
      } else if (!isPodAvailable(oldPod!, minReady, now)) replace.push(oldPod!);
      else if (unavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    plan.deletePods.push(...replace, ...candidates.slice(0, remaining));
    return plan;
  }
  let surging = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  for (const name of names) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(all.get(name)!, hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!isPodAvailable(oldPod, minReady, now)) allowedNew.push(name);
      else if (surging < maxSurge) candidateNew.push(name);
      continue;
    }
    if (!isPodAvailable(newPod, minReady, now)) surging++;
    else plan.deletePods.push(oldPod);
  }
  const remaining = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  plan.createOn.push(...allowedNew, ...candidateNew.slice(0, remaining));
  return plan;
}

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  updatedNumberScheduled: number;
}

/** Upstream updateDaemonSetStatus's counting over nodes (terminating pods excluded by the caller). */
export function daemonSetCounts(ds: DaemonSet, nodes: readonly Node[], nodeToPods: ReadonlyMap<string, readonly Pod[]>, hash: string, now: number): DaemonSetCounts {
  const c: DaemonSetCounts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, updatedNumberScheduled: 0 };
  const spec = ds.spec?.template?.spec ?? {};
  for (const node of nodes) {
    const pods = nodeToPods.get(node.metadata?.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, spec).shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(compareDaemonPods)[0]!;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}
