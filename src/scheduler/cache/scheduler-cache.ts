// The scheduler cache (upstream internal/cache): NodeInfos built from node and assigned-pod
// informer events, plus "assumed" pods — pods the scheduler decided to bind whose binding has not
// shown up in the informer yet — so the next cycle sees their capacity as taken.
//
// Contracts:
// - assumePod → (finishBinding | forgetPod). An assumed pod is confirmed when the informer adds
//   it (addPod); after finishBinding it expires `assumedPodTtlMs` later if it never shows up.
// - updateSnapshot() is called at the start of every scheduling cycle. It clones only NodeInfos
//   changed since the last call and swaps them into the same Snapshot object, so a cycle over
//   5,000 nodes costs one clone per changed node. The Snapshot is read-only for its users and
//   valid until the next updateSnapshot() call; NodeInfos handed out are never mutated.
import type { Node, Pod } from '../../api/index.js';
import type { Clock } from '../../client/index.js';
import { NodeInfo, podKey } from '../framework/node-info.js';
import { Snapshot } from '../framework/snapshot.js';

interface PodState {
  pod: Pod;
  /** Set after finishBinding for assumed pods: when the assumption lapses (ms). */
  deadline?: number;
  bindingFinished: boolean;
}

export interface SchedulerCacheOptions {
  clock: Clock;
  /** How long an assumed pod whose binding finished may wait for the informer (default 30 s). */
  assumedPodTtlMs?: number;
}

export class SchedulerCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** Cache NodeInfos by node name; `node` is undefined for a deleted node that still has pods. */
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  /** Nodes changed since the last snapshot. */
  private readonly dirty = new Set<string>();
  /** Node set or order changed since the last snapshot (add/remove). */
  private membershipChanged = true;
  private readonly snapshotInfos = new Map<string, NodeInfo>();
  private snapshot = new Snapshot([]);

  constructor(opts: SchedulerCacheOptions) {
    this.clock = opts.clock;
    this.ttlMs = opts.assumedPodTtlMs ?? 30_000;
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    let ni = this.nodes.get(name);
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(name, ni);
    }
    if (!ni.node) this.membershipChanged = true;
    ni.setNode(node);
    this.dirty.add(name);
  }

  updateNode(_oldNode: Node, newNode: Node): void {
    this.addNode(newNode);
  }

  /** Removes the node; its pods stay accounted until they are deleted (as upstream). */
  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    if (ni.pods.length === 0) this.nodes.delete(name);
    else ni.node = undefined;
    this.membershipChanged = true;
    this.dirty.add(name);
  }

  /**
   * Records `pod` (with spec.nodeName set to the chosen node) as running there before the binding
   * lands. Throws if the pod is already in the cache.
   */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    this.addPodToNode(pod);
    this.podStates.set(key, { pod, bindingFinished: false });
    this.assumed.add(key);
  }

  /** The binding call returned; the assumption now expires if the informer never confirms it. */
  finishBinding(pod: Pod): void {
    const st = this.podStates.get(podKey(pod));
    if (!st || !this.assumed.has(podKey(pod))) return;
    st.bindingFinished = true;
    st.deadline = this.clock.now() + this.ttlMs;
  }

  /** Undoes assumePod (binding failed). */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st || !this.assumed.has(key)) return;
    this.removePodFromNode(st.pod);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  /** An assigned pod appeared in the informer (confirms an assumption, possibly on another node). */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st) this.removePodFromNode(st.pod);
    this.addPodToNode(pod);
    this.podStates.set(key, { pod, bindingFinished: false });
    this.assumed.delete(key);
  }

  updatePod(_oldPod: Pod, newPod: Pod): void {
    this.addPod(newPod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st) return;
    this.removePodFromNode(st.pod);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  /** Drops assumptions whose binding finished more than the TTL ago (upstream cleanupAssumedPods). */
  cleanupExpiredAssumedPods(): Pod[] {
    const now = this.clock.now();
    const expired: Pod[] = [];
    for (const key of this.assumed) {
      const st = this.podStates.get(key)!;
      if (!st.bindingFinished || st.deadline === undefined || st.deadline > now) continue;
      expired.push(st.pod);
      this.forgetPod(st.pod);
    }
    return expired;
  }

  /** The snapshot for the next cycle, refreshed incrementally (see the file comment). */
  updateSnapshot(): Snapshot {
    if (this.dirty.size === 0 && !this.membershipChanged) return this.snapshot;
    let affinityChanged = false;
    for (const name of this.dirty) {
      const ni = this.nodes.get(name);
      const before = this.snapshotInfos.get(name);
      if (!ni || !ni.node) {
        this.snapshotInfos.delete(name);
        continue;
      }
      const fresh = ni.clone();
      this.snapshotInfos.set(name, fresh);
      if (this.membershipChanged) continue;
      // Same node set: swap the changed NodeInfos into the current snapshot in place, so a cycle
      // costs one clone per changed node instead of a new 5,000-entry snapshot.
      if (!before || !this.snapshot.replace(fresh)) this.membershipChanged = true;
      // The affinity lists hold NodeInfos too: refresh them when a node in them (before or now) changed.
      else if (hasAffinityPods(before) || hasAffinityPods(fresh)) affinityChanged = true;
    }
    this.dirty.clear();
    if (this.membershipChanged) this.snapshot = new Snapshot([...this.snapshotInfos.values()]);
    else if (affinityChanged) this.snapshot.refreshAffinityLists();
    this.membershipChanged = false;
    return this.snapshot;
  }

  /** The cache's NodeInfo of a node (live; for tests and debugging). */
  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  get nodeCount(): number {
    let n = 0;
    for (const ni of this.nodes.values()) if (ni.node) n++;
    return n;
  }

  get podCount(): number { return this.podStates.size; }

  private addPodToNode(pod: Pod): void {
    const name = pod.spec?.nodeName ?? '';
    let ni = this.nodes.get(name);
    if (!ni) {
      // A pod on a node the informer has not shown yet: keep it so the node starts out accounted.
      ni = new NodeInfo();
      this.nodes.set(name, ni);
    }
    ni.addPod(pod);
    this.dirty.add(name);
  }

  private removePodFromNode(pod: Pod): void {
    const name = pod.spec?.nodeName ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    ni.removePod(pod);
    if (!ni.node && ni.pods.length === 0) this.nodes.delete(name);
    this.dirty.add(name);
  }
}

/** Required anti-affinity pods are a subset of pods with affinity. */
const hasAffinityPods = (ni: NodeInfo): boolean => ni.podsWithAffinity.length > 0;
