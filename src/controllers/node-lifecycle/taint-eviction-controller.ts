// The taint eviction controller (upstream pkg/controller/tainteviction, the former
// NoExecuteTaintManager): deletes pods from nodes with NoExecute taints they do not tolerate, at
// once, and pods that tolerate them once their shortest tolerationSeconds ran out. Level-triggered
// per pod: `sync(podKey)` reads the caches and plans, cancels or performs the pod's eviction; a
// planned eviction is a clock timer that re-queues the pod when due, and the deletion happens only
// if the re-check still says so.
//
// Ordering: the DisruptionTarget condition is patched BEFORE the pod is deleted (upstream
// addConditionAndDeletePod), so whoever watches the pod learns why it goes.
import { isStatusError, nodes as nodesResource, pods as podsResource, type KubeObject, type Node, type Pod } from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient, type TimerHandle } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { PodsByNode } from './pods-by-node.js';
import { isoSeconds } from './health.js';
import { evictionDecision, evictionStep, noExecuteTaints, type PlannedEvictionTime, type Toleration } from './taint-eviction.js';

/** Upstream UpdateWorkerSize. */
export const TAINT_EVICTION_WORKERS = 8;

interface PlannedEviction extends PlannedEvictionTime {
  timer: TimerHandle;
  /** The timer ran (a timer that fires a little early must be set again, not trusted). */
  fired: boolean;
}

export class TaintEvictionController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly planned = new Map<string, PlannedEviction>();
  private readonly podsByNode = new PodsByNode();
  private readonly nodeStore: Indexer;
  private readonly podStore: Indexer;
  private readonly podClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = TAINT_EVICTION_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.podClient = ctx.client.resource(podsResource);
    this.recorder = ctx.recorder('taint-eviction-controller');
    const nodeInformer = ctx.informers.informerFor(nodesResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.nodeStore = nodeInformer.store;
    this.podStore = podInformer.store;
    podInformer.addEventHandler({
      onAdd: (p) => { this.podsByNode.put(p); this.queue.add(objectKey(p)); },
      onUpdate: (o, p) => {
        this.podsByNode.put(p);
        const op = o as Pod, cp = p as Pod;
        if (op.spec?.nodeName !== cp.spec?.nodeName || JSON.stringify(op.spec?.tolerations) !== JSON.stringify(cp.spec?.tolerations)) this.queue.add(objectKey(p));
      },
      onDelete: (p) => { this.podsByNode.remove(p); this.queue.add(objectKey(p)); },
    });
    const requeuePods = (node: KubeObject) => { for (const k of this.podsByNode.keys(node.metadata?.name ?? '')) this.queue.add(k); };
    nodeInformer.addEventHandler({
      onAdd: (n) => { if (noExecuteTaints((n as Node).spec?.taints).length) requeuePods(n); },
      onUpdate: (o, n) => {
        if (JSON.stringify(noExecuteTaints((o as Node).spec?.taints)) !== JSON.stringify(noExecuteTaints((n as Node).spec?.taints))) requeuePods(n);
      },
      onDelete: requeuePods,
    });
  }

  run(signal: AbortSignal): Promise<void> {
    const done = runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
    return done.finally(() => { for (const p of this.planned.values()) p.timer.cancel(); this.planned.clear(); });
  }

  /** Evictions planned but not yet due, by pod key (tests, status). */
  get plannedEvictions(): ReadonlyMap<string, PlannedEvictionTime> {
    return this.planned;
  }

  /** Plans, cancels or performs the eviction of pod `key`. Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const pod = this.podStore.get(key) as Pod | undefined;
    const nodeName = pod?.spec?.nodeName;
    const node = nodeName ? this.nodeStore.getByName('', nodeName) as Node | undefined : undefined;
    if (!pod || !node || pod.metadata?.deletionTimestamp) {
      this.cancel(key);
      return;
    }
    const decision = evictionDecision(node.spec?.taints, pod.spec?.tolerations as Toleration[] | undefined);
    const step = evictionStep(decision, this.planned.get(key), this.ctx.clock.now());
    if (step.kind === 'wait') {
      this.plan(key, step.plan);
      return;
    }
    if (step.kind === 'cancel') {
      if (this.planned.has(key)) this.recorder.event(asPod(pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      this.cancel(key);
      return;
    }
    this.cancel(key);
    await this.evict(pod);
  }

  private plan(key: string, plan: PlannedEvictionTime): void {
    const existing = this.planned.get(key);
    if (existing?.fireAt === plan.fireAt && !existing.fired) return;
    existing?.timer.cancel();
    const entry: PlannedEviction = { ...plan, fired: false, timer: { cancel() {} } };
    entry.timer = this.ctx.clock.setTimer(Math.max(1, plan.fireAt - this.ctx.clock.now()), () => {
      entry.fired = true;
      this.queue.add(key);
    });
    this.planned.set(key, entry);
  }

  private cancel(key: string): void {
    this.planned.get(key)?.timer.cancel();
    this.planned.delete(key);
  }

  /** Upstream addConditionAndDeletePod: DisruptionTarget condition, then delete. */
  private async evict(pod: Pod): Promise<void> {
    const { namespace, name } = splitKey(objectKey(pod));
    this.recorder.event(asPod(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    try {
      await this.podClient.patch(namespace, name, 'strategic', {
        status: {
          conditions: [{
            type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
            message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: isoSeconds(this.ctx.clock.now()),
          }],
        },
      }, 'status');
      await this.podClient.delete(namespace, name, { preconditions: { uid: pod.metadata?.uid } });
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }
}

function asPod(p: Pod): KubeObject {
  return { ...p, apiVersion: 'v1', kind: 'Pod' };
}
