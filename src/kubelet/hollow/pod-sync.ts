// One pod's reconcile for a hollow kubelet (level-triggered: reads the informer cache, never an
// event). Called by HollowNodes' workers with a `ns/name` key, at most once at a time per key.
import type { KubeObject, Pod } from '../../api/index.js';
import { isStatusError } from '../../api/light.js';
import type { Clock, Indexer, ResourceClient } from '../../client/index.js';
import type { ContainerStatus } from '../../runtime/index.js';
import type { HollowNode, PodRecord } from './hollow-node.js';
import { exitIfDue } from './pod-exit.js';
import { reportsRunning, runningPodStatus } from './pod-status.js';

export interface PodSyncContext {
  pods: ResourceClient;
  cache: Indexer;
  nodes: Map<string, HollowNode>;
  clock: Clock;
  podStartDelayMs: number;
  /** Asks for another sync of `key` after `ms`. */
  requeueAfter(key: string, ms: number): void;
  /** Which node last ran the pod under this key (the pod may be gone from the cache). */
  ownerOf: Map<string, string>;
  counters: { podStatusWrites: number; podDeletes: number };
}

/**
 * Brings the API and the runtime in line for one pod:
 * - gone from the cache (or replaced by a new uid): stop and remove its sandbox;
 * - being deleted: stop it, then delete with gracePeriodSeconds=0 (the kubelet's last step of
 *   graceful deletion);
 * - bound here and not yet running: after the start delay, run the sandbox and containers, then
 *   write status Running/Ready through `pods/status`.
 * Pods on a killed node are left alone (a dead kubelet does nothing).
 */
export async function syncPod(ctx: PodSyncContext, key: string): Promise<void> {
  const pod = ctx.cache.get(key) as Pod | undefined;
  const nodeName = pod?.spec?.nodeName ?? ctx.ownerOf.get(key);
  const node = nodeName ? ctx.nodes.get(nodeName) : undefined;
  if (!node || node.killed) return;
  let record = node.pods.get(key);
  if (record && (!pod || record.uid !== pod.metadata?.uid)) {
    await stopPod(node, record);
    node.pods.delete(key);
    record = undefined;
  }
  if (!pod) {
    ctx.ownerOf.delete(key);
    return;
  }
  ctx.ownerOf.set(key, node.name);
  const { namespace = '', name = '', uid = '' } = pod.metadata ?? {};
  if (pod.metadata?.deletionTimestamp) {
    if (record) await stopPod(node, record);
    try {
      await ctx.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
      ctx.counters.podDeletes++;
    } catch (e) {
      if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
    }
    return;
  }
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return;
  const now = ctx.clock.now();
  if (!record) {
    record = { uid, firstSeen: now, containerIds: new Map() };
    node.pods.set(key, record);
    // Already reported Running (the simulator restarted): adopt it as it is.
    const ip = pod.status?.podIP;
    if (ip && reportsRunning(pod, ip)) {
      record.ip = ip;
      node.reserveIP(ip);
      return;
    }
  }
  if (!record.sandboxId && !record.ip) {
    const due = record.firstSeen + ctx.podStartDelayMs;
    if (now < due) {
      ctx.requeueAfter(key, due - now);
      return;
    }
  }
  if (!record.sandboxId && !(record.ip && reportsRunning(pod, record.ip))) await runPod(node, pod, record);
  // Pods annotated to exit (pod-exit.ts) end here once due.
  if (await exitIfDue(ctx, key, pod, record)) return;
  if (reportsRunning(pod, record.ip!)) return;
  const containers = new Map<string, ContainerStatus>();
  for (const [cname, id] of record.containerIds) {
    const st = await node.runtime.containerStatus(id);
    if (st) containers.set(cname, st);
  }
  const status = runningPodStatus(pod, { hostIP: node.hostIP, podIP: record.ip!, startTime: record.firstSeen, containers, now: ctx.clock.now() });
  await ctx.pods.patch(namespace, name, 'merge', { status } as KubeObject, 'status');
  ctx.counters.podStatusWrites++;
}

async function runPod(node: HollowNode, pod: Pod, record: PodRecord): Promise<void> {
  record.ip ??= node.allocateIP();
  const meta = pod.metadata ?? {};
  record.sandboxId = await node.runtime.runPodSandbox({
    name: meta.name ?? '', namespace: meta.namespace ?? '', uid: meta.uid ?? '', ip: record.ip, labels: meta.labels,
  });
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const id = await node.runtime.createContainer(record.sandboxId, { name: c.name ?? '', image: c.image ?? '', command: c.command, args: c.args });
    await node.runtime.startContainer(id);
    record.containerIds.set(c.name ?? '', id);
  }
}

async function stopPod(node: HollowNode, record: PodRecord): Promise<void> {
  if (record.sandboxId) {
    await node.runtime.stopPodSandbox(record.sandboxId);
    await node.runtime.removePodSandbox(record.sandboxId);
    record.sandboxId = undefined;
  }
  node.releaseIP(record.ip);
}
