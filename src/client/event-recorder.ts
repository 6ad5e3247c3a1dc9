// core/v1 Events written by controllers and kubelets about the objects they manage (upstream record.EventRecorder
// as `kubectl describe` shows them: reason, message, source.component). Best effort: events go
// through a bounded queue written by one sender, failures go to `onError`, and neither ever
// affects a reconcile. With `aggregate`, a repeat of an identical event (same source, object,
// type, reason, message) bumps the first one's count and lastTimestamp, as upstream's
// EventCorrelator does ("x5 over 2m" in `kubectl describe`).
import type { KubeObject } from '../api/index.js';
import { isStatusError } from '../api/light.js';
import type { Client } from './client.js';
import type { Clock } from './clock.js';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' };

/** Upstream maxQueuedEvents. */
const MAX_QUEUED = 1000;
/** Upstream maxLruCacheEntries of the event logger. */
const MAX_AGGREGATED = 4096;

interface QueuedEvent {
  ns: string;
  body: { metadata: { name: string; namespace: string }; count: number; lastTimestamp: string; [k: string]: unknown };
  key: string;
}

export interface EventRecorderOptions {
  /** `source.host`: the node a kubelet's events come from. */
  host?: string;
  /** Identical repeats update the first event's count instead of creating new events. */
  aggregate?: boolean;
}

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
  private readonly queue: QueuedEvent[] = [];
  private sending: Promise<void> | undefined;
  /** Aggregation: event key → the event written for it (insertion order is the LRU order). */
  private readonly written = new Map<string, { ns: string; name: string; count: number }>();
  private readonly host?: string;
  private readonly aggregate: boolean;

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly instance: string,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void,
    options: EventRecorderOptions = {},
  ) {
    this.host = options.host;
    this.aggregate = options.aggregate ?? false;
  }

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    if (this.queue.length >= MAX_QUEUED) return;
    const ns = obj.metadata?.namespace || 'default';
    const t = this.clock.now();
    const at = new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
    const text = message.length <= 1024 ? message : `${message.slice(0, 1021)}...`;
    const key = JSON.stringify([this.component, this.host, obj.kind, obj.apiVersion, ns, obj.metadata?.name, obj.metadata?.uid, fieldPath, type, reason, text]);
    this.queue.push({
      ns,
      key,
      body: {
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: `${obj.metadata?.name ?? 'object'}.${(t * 1000 + (this.seq++ % 1000)).toString(16)}`, namespace: ns },
        involvedObject: {
          apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata?.namespace, name: obj.metadata?.name,
          uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion, ...(fieldPath ? { fieldPath } : {}),
        },
        reason, message: text, type,
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
        const seen = this.aggregate ? this.written.get(next.key) : undefined;
        if (seen && await this.bump(seen, next)) continue;
        await events.create(next.ns, next.body as unknown as KubeObject);
        if (this.aggregate) this.remember(next.key, { ns: next.ns, name: next.body.metadata.name, count: 1 });
      } catch (e) {
        this.onError(e);
      }
    }
    this.sending = undefined;
  }

  /** Counts a repeat on the event already written; false when that event is gone (write a new one). */
  private async bump(seen: { ns: string; name: string; count: number }, next: QueuedEvent): Promise<boolean> {
    try {
      await this.client.resource(EVENTS).patch(seen.ns, seen.name, 'merge', { count: seen.count + 1, lastTimestamp: next.body.lastTimestamp });
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return false;
      throw e;
    }
    seen.count++;
    this.remember(next.key, seen);
    return true;
  }

  private remember(key: string, entry: { ns: string; name: string; count: number }): void {
    this.written.delete(key);
    this.written.set(key, entry);
    if (this.written.size > MAX_AGGREGATED) this.written.delete(this.written.keys().next().value!);
  }
}
