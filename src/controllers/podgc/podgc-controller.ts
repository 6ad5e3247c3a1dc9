// The pod garbage collector (upstream pkg/controller/podgc): every 20 s, from the caches, it
// force-deletes (grace period 0)
// - terminated pods beyond `--terminated-pod-gc-threshold`, oldest first;
// - pods bound to nodes that no longer exist: a node missing from the cache is quarantined for
//   40 s and then looked up on the server, so a node merely late in the cache keeps its pods;
//   such pods are first marked Failed with a DisruptionTarget condition (DeletionByPodGC);
// - terminating pods that were never scheduled, and terminating pods on out-of-service nodes.
// Passes never overlap; every write tolerates the pod being gone already.
import { isStatusError, nodes as nodesResource, pods as podsResource, type Node, type Pod } from '../../api/index.js';
import type { Indexer, ResourceClient, TimerHandle } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import {
  DEFAULT_TERMINATED_POD_GC_THRESHOLD, GC_CHECK_PERIOD_MS, QUARANTINE_MS, isPodTerminated, missingNodes,
  terminatedPodsToDelete, terminatingPodsOnOutOfServiceNodes, unscheduledTerminatingPods,
} from './plan.js';

export interface PodGCOptions {
  periodMs?: number;
  quarantineMs?: number;
}

export class PodGCController implements Controller {
  readonly threshold: number;
  private readonly periodMs: number;
  private readonly quarantineMs: number;
  /** Nodes seen missing from the cache, and since when (upstream nodeQueue). */
  private readonly quarantined = new Map<string, number>();
  private readonly podStore: Indexer;
  private readonly nodeStore: Indexer;
  private readonly podClient: ResourceClient;
  private readonly nodeClient: ResourceClient;

  constructor(private readonly ctx: ControllerContext, opts: PodGCOptions = {}) {
    this.threshold = ctx.config?.terminatedPodGCThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
    this.periodMs = opts.periodMs ?? GC_CHECK_PERIOD_MS;
    this.quarantineMs = opts.quarantineMs ?? QUARANTINE_MS;
    this.podClient = ctx.client.resource(podsResource);
    this.nodeClient = ctx.client.resource(nodesResource);
    this.podStore = ctx.informers.informerFor(podsResource).store;
    this.nodeStore = ctx.informers.informerFor(nodesResource).store;
  }

  run(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      let running: Promise<void> = Promise.resolve();
      const tick = () => {
        if (signal.aborted) return;
        running = this.gc().catch((e) => this.ctx.onError(e)).then(() => {
          if (!signal.aborted) timer = this.ctx.clock.setTimer(this.periodMs, tick);
        });
      };
      signal.addEventListener('abort', () => { timer?.cancel(); void running.then(() => resolve()); }, { once: true });
      if (signal.aborted) resolve();
      else tick();
    });
  }

  /** One pass (upstream gc). */
  async gc(): Promise<void> {
    const pods = this.podStore.list() as Pod[];
    const nodeByName = (name: string) => this.nodeStore.getByName('', name) as Node | undefined;
    for (const p of terminatingPodsOnOutOfServiceNodes(pods, nodeByName)) await this.forceDelete(p);
    for (const p of terminatedPodsToDelete(pods, this.threshold)) await this.forceDelete(p);
    const deletedNodes = await this.deletedNodes(pods, nodeByName);
    for (const p of pods) {
      if (p.spec?.nodeName && deletedNodes.has(p.spec.nodeName)) await this.forceDelete(p, 'PodGC: node no longer exists');
    }
    for (const p of unscheduledTerminatingPods(pods)) await this.forceDelete(p);
  }

  /** Nodes that pods name, missing from the cache past the quarantine, and gone on the server too. */
  private async deletedNodes(pods: Pod[], nodeByName: (name: string) => Node | undefined): Promise<Set<string>> {
    const now = this.ctx.clock.now();
    const missing = missingNodes(pods, (n) => nodeByName(n) !== undefined);
    for (const n of [...this.quarantined.keys()]) if (!missing.has(n)) this.quarantined.delete(n);
    const deleted = new Set<string>();
    for (const n of missing) {
      const since = this.quarantined.get(n);
      if (since === undefined) { this.quarantined.set(n, now); continue; }
      if (now - since < this.quarantineMs) continue;
      try {
        await this.nodeClient.get('', n);
        this.quarantined.delete(n);
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
        deleted.add(n);
      }
    }
    return deleted;
  }

  /**
   * Upstream markFailedAndDeletePodWithCondition: a pod not yet terminal is marked Failed (with a
   * DisruptionTarget condition when `disruption` says why), then deleted with grace period 0.
   */
  private async forceDelete(p: Pod, disruption?: string): Promise<void> {
    const ns = p.metadata?.namespace ?? '';
    const name = p.metadata?.name ?? '';
    try {
      if (!isPodTerminated(p) && !p.metadata?.deletionTimestamp) {
        const at = new Date(this.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
        await this.podClient.patch(ns, name, 'strategic', {
          status: {
            phase: 'Failed',
            ...(disruption ? { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: disruption, lastTransitionTime: at }] } : {}),
          },
        }, 'status');
      }
      await this.podClient.delete(ns, name, { gracePeriodSeconds: 0, preconditions: { uid: p.metadata?.uid } });
    } catch (e) {
      if (!isStatusError(e, 'NotFound') && !isStatusError(e, 'Conflict')) throw e;
    }
  }
}
