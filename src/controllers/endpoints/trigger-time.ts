// The value of `endpoints.kubernetes.io/last-change-trigger-time` (upstream TriggerTimeTracker):
// the earliest time at which something that changed since the service's previous sync changed —
// a pod's Ready transition, or the service's creation the first time it is synced. Consumers
// (the proxy, latency SLIs) read it as "endpoints reflect changes up to here".
//
// Called from the service's sync only; a key is never synced by two workers at once, so the
// per-service state needs no locking. A sync commits what it saw only once its writes succeeded
// (or it had none to make): a write refused with a Conflict is retried with the same trigger
// time instead of none, which would drop the annotation. Forget a service when it is deleted.
import type { Pod, Service } from '../../api/index.js';

interface ServiceState {
  /** Pod uid → trigger time (ms) seen at the last sync. */
  pods: Map<string, number>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * The trigger time for this sync in ms since the epoch, or undefined when nothing new changed;
   * `commit()` once the sync's writes succeeded, so that the next sync compares against this one.
   */
  compute(key: string, svc: Service, pods: readonly Pod[]): { time: number | undefined; commit(): void } {
    const prev = this.states.get(key);
    let min: number | undefined;
    const consider = (t: number) => {
      if (t > 0 && (min === undefined || t < min)) min = t;
    };
    if (!prev) consider(Date.parse(svc.metadata?.creationTimestamp ?? '') || 0);
    const next = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      const uid = pod.metadata?.uid ?? '';
      next.set(uid, t);
      if (prev?.pods.get(uid) !== t) consider(t);
    }
    return { time: min, commit: () => this.states.set(key, { pods: next }) };
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}

/** When the pod's readiness last changed (upstream getPodTriggerTime), 0 if unknown. */
export function podTriggerTime(pod: Pod): number {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready');
  return (c?.lastTransitionTime && Date.parse(c.lastTransitionTime)) || 0;
}

/** Go's RFC 3339 at whole seconds, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
