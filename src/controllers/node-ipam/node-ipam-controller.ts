// The node IPAM controller (upstream pkg/controller/nodeipam, RangeAllocator): gives every node a
// pod range, spec.podCIDR and spec.podCIDRs, cut from `--cluster-cidr`.
//
// Contracts:
// - the allocator is rebuilt from the CIDRs of every cached node BEFORE any allocation (`run`
//   occupies them after the informers synced), so a restart never hands out a used range;
// - a range is marked used before the node is patched and freed again if the patch fails;
// - a deleted node's ranges are freed (from its last known state);
// - when the range is exhausted a CIDRNotAvailable event is recorded on the node and the node is
//   tried again later.
import { isStatusError, nodes as nodesResource, type KubeObject, type Node } from '../../api/index.js';
import { WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { CIDRSet, DEFAULT_CLUSTER_CIDR } from './cidr-set.js';

/** How long a node waits for a range after the cluster CIDR ran out. */
export const EXHAUSTED_RETRY_MS = 60_000;
export const NODE_IPAM_WORKERS = 4;

export function nodeCIDRs(node: Node): string[] {
  const list = node.spec?.podCIDRs ?? [];
  if (list.length) return list;
  return node.spec?.podCIDR ? [node.spec.podCIDR] : [];
}

export class NodeIpamController implements Controller {
  readonly queue: WorkQueue<string>;
  readonly cidrs: CIDRSet;
  private readonly nodeStore: Indexer;
  private readonly nodeClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = NODE_IPAM_WORKERS) {
    this.cidrs = new CIDRSet(ctx.config?.clusterCIDR ?? DEFAULT_CLUSTER_CIDR);
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.nodeClient = ctx.client.resource(nodesResource);
    this.recorder = ctx.recorder('cidrAllocator');
    const informer = ctx.informers.informerFor(nodesResource);
    this.nodeStore = informer.store;
    const enqueue = (n: KubeObject) => this.queue.add(n.metadata?.name ?? '');
    informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_o, n) => enqueue(n),
      onDelete: (n) => { for (const c of nodeCIDRs(n as Node)) this.cidrs.release(c); },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    for (const n of this.nodeStore.list() as Node[]) for (const c of nodeCIDRs(n)) this.cidrs.occupy(c);
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Gives node `name` a range if it has none (upstream AllocateOrOccupyCIDR). Idempotent. */
  async sync(name: string): Promise<ReconcileResult | void> {
    const node = this.nodeStore.getByName('', name) as Node | undefined;
    if (!node || node.metadata?.deletionTimestamp) return;
    const existing = nodeCIDRs(node);
    if (existing.length) {
      for (const c of existing) this.cidrs.occupy(c);
      return;
    }
    const cidr = this.cidrs.allocateNext();
    if (!cidr) {
      this.recorder.event({ ...node, apiVersion: 'v1', kind: 'Node' }, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return { requeueAfterMs: EXHAUSTED_RETRY_MS };
    }
    try {
      await this.nodeClient.patch('', name, 'merge', {
        metadata: { resourceVersion: node.metadata?.resourceVersion },
        spec: { podCIDR: cidr, podCIDRs: [cidr] },
      });
    } catch (e) {
      this.cidrs.release(cidr);
      if (isStatusError(e, 'NotFound')) return;
      if (!isStatusError(e, 'Conflict')) {
        this.recorder.event({ ...node, apiVersion: 'v1', kind: 'Node' }, 'Warning', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      }
      throw e;
    }
  }
}
