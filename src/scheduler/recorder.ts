// The scheduler's writes besides bindings: core/v1 Events about pods (Scheduled,
// FailedScheduling) and the PodScheduled=False condition on pods that could not be scheduled.
// Both are best effort, as upstream's recorder: failures are reported to `onError` and never
// affect scheduling.
//
// Events go through a bounded queue written by one sender at a time, as upstream's broadcaster
// (1,000 queued events, DropIfChannelFull): under a burst the API server's capacity goes to
// bindings, and events beyond the queue are dropped (counted, reported to `onError` sparingly).
import type { Pod } from '../api/index.js';
import type { Client } from '../client/index.js';
import { DEFAULT_SCHEDULER_NAME } from './framework/config.js';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };

export interface PodEvent {
  type: 'Normal' | 'Warning';
  /** `Scheduled` or `FailedScheduling`. */
  reason: string;
  /** `Binding` for Scheduled, `Scheduling` for FailedScheduling (upstream's actions). */
  action: string;
  message: string;
}

/** Upstream "Successfully assigned ns/pod to node" message of the Scheduled event. */
export function scheduledMessage(pod: Pod, nodeName: string): string {
  return `Successfully assigned ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} to ${nodeName}`;
}

/** Upstream truncates event messages to the API's 1024-character limit. */
function truncate(msg: string): string {
  return msg.length <= 1024 ? msg : `${msg.slice(0, 1021)}...`;
}

/** Upstream maxQueuedEvents. */
export const MAX_QUEUED_EVENTS = 1000;

export class Recorder {
  private seq = 0;
  private readonly queue: { ns: string; body: object; done: () => void }[] = [];
  private sending = false;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly client: Client,
    /** This instance (the leader-election identity), recorded as reportingInstance. */
    private readonly instance: string,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Queues the Event; resolves when it was written, failed or dropped (never rejects). */
  event(pod: Pod, ev: PodEvent): Promise<void> {
    const ns = pod.metadata?.namespace || 'default';
    // A full queue drops the event before anything is built for it.
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      if (this.dropped++ % MAX_QUEUED_EVENTS === 0) {
        this.onError(new Error(`event queue full (${MAX_QUEUED_EVENTS}): dropped ${ev.reason} for pod ${ns}/${pod.metadata?.name ?? ''} (${this.dropped} dropped so far)`));
      }
      return Promise.resolve();
    }
    const t = this.now();
    const iso = new Date(t).toISOString();
    const body = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${pod.metadata?.name ?? 'pod'}.${(t * 1000 + (this.seq++ % 1000)).toString(16)}`, namespace: ns },
      involvedObject: {
        apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata?.name, uid: pod.metadata?.uid,
        resourceVersion: pod.metadata?.resourceVersion,
      },
      reason: ev.reason, message: truncate(ev.message), type: ev.type, action: ev.action,
      source: { component: DEFAULT_SCHEDULER_NAME },
      reportingComponent: DEFAULT_SCHEDULER_NAME, reportingInstance: this.instance,
      firstTimestamp: iso.replace(/\.\d+Z$/, 'Z'), lastTimestamp: iso.replace(/\.\d+Z$/, 'Z'), count: 1,
    };
    return new Promise<void>((done) => {
      this.queue.push({ ns, body, done });
      if (!this.sending) void this.send();
    });
  }

  /** Writes queued events one at a time until the queue is empty. */
  private async send(): Promise<void> {
    this.sending = true;
    const events = this.client.resource(EVENTS);
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await events.create(next.ns, next.body as never);
      } catch (e) {
        this.onError(e);
      }
      next.done();
    }
    this.sending = false;
  }

  /**
   * Sets PodScheduled=False with `reason` and `message` through pods/status unless the pod already
   * says exactly that (upstream updatePod after a failed attempt).
   */
  async podScheduledFalse(pod: Pod, reason: string, message: string): Promise<void> {
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cur && cur.status === 'False' && cur.reason === reason && cur.message === message) return;
    const transition = cur?.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const patch = { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: transition }] } };
    try {
      await this.client.resource(PODS).patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', patch, 'status');
    } catch (e) {
      this.onError(e);
    }
  }
}
