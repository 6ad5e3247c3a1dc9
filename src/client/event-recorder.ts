// core/v1 Events written by controllers and kubelets about the objects they manage (upstream record.EventRecorder
// as `kubectl describe` shows them: reason, message, source.component). Best effort: events go
// through a bounded queue written by one sender, failures go to `onError`, and neither ever
// affects a reconcile.
import type { KubeObject } from '../api/index.js';
import type { Client } from './client.js';
import type { Clock } from './clock.js';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' };

/** Upstream maxQueuedEvents. */
const MAX_QUEUED = 1000;

export interface EventRecorder {
  /**
   * Records an event about `obj` (a Pod, ReplicaSet, Deployment… carrying apiVersion and kind);
   * `fieldPath` names a part of it (`spec.containers{web}`), as the kubelet's container events.
   */
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  /** Resolves once every queued event was written or failed (tests, shutdown). */
  flush(): Promise<void>;
}

export class ApiEventRecorder implements EventRecorder {
  private seq = 0;
  private readonly queue: { ns: string; body: object }[] = [];
  private sending: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly instance: string,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void,
    /** `source.host`: the node a kubelet's events come from. */
    private readonly host?: string,
  ) {}

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    if (this.queue.length >= MAX_QUEUED) return;
    const ns = obj.metadata?.namespace || 'default';
    const t = this.clock.now();
    const at = new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
    this.queue.push({
      ns,
      body: {
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: `${obj.metadata?.name ?? 'object'}.${(t * 1000 + (this.seq++ % 1000)).toString(16)}`, namespace: ns },
        involvedObject: {
          apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata?.namespace, name: obj.metadata?.name,
          uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion, ...(fieldPath ? { fieldPath } : {}),
        },
        reason, message: message.length <= 1024 ? message : `${message.slice(0, 1021)}...`, type,
        source: this.host ? { component: this.component, host: this.host } : { component: this.component },
        reportingComponent: this.component, reportingInstance: this.instance,
        firstTimestamp: at, lastTimestamp: at, count: 1,
      },
    });
    this.sending ??= this.send();
  }

  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async send(): Promise<void> {
    const events = this.client.resource(EVENTS);
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await events.create(next.ns, next.body as KubeObject);
      } catch (e) {
        this.onError(e);
      }
    }
    this.sending = undefined;
  }
}
