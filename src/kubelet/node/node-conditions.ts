// The node's four conditions, as upstream kubelet's status setters write them: MemoryPressure,
// DiskPressure and PIDPressure from the eviction signals against the hard thresholds, Ready from
// the readiness checks. lastHeartbeatTime is `now` on every report; lastTransitionTime changes
// only when the status does. Pure: signals and time come in.
import type { Node } from '../../api/index.js';
import { thresholdAmount, type EvictionThreshold } from './node-resources.js';

export type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

/** Upstream's --eviction-pressure-transition-period default: pressure is held this long after last seen. */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;

/** What the eviction manager observes, in bytes / inodes / pids. */
export interface FsSignals { capacityBytes: number; availableBytes: number; inodes: number; inodesFree: number }

export interface NodeSignals {
  memoryCapacityBytes: number;
  memoryAvailableBytes: number;
  nodefs: FsSignals;
  /** The filesystem holding images; the nodefs when they share one. */
  imagefs?: FsSignals;
  pidMax: number;
  /** pid_max − threads that exist now. */
  pidAvailable: number;
}

export interface Pressure { memory: boolean; disk: boolean; pid: boolean }

/** Which pressures the signals show against the thresholds (strictly below = pressure, as upstream). */
export function observePressure(s: NodeSignals, thresholds: EvictionThreshold[]): Pressure {
  const below = (signal: EvictionThreshold['signal'], available: number, capacity: number) =>
    thresholds.some((t) => t.signal === signal && available < thresholdAmount(t, capacity));
  const image = s.imagefs ?? s.nodefs;
  return {
    memory: below('memory.available', s.memoryAvailableBytes, s.memoryCapacityBytes),
    disk: below('nodefs.available', s.nodefs.availableBytes, s.nodefs.capacityBytes)
      || below('nodefs.inodesFree', s.nodefs.inodesFree, s.nodefs.inodes)
      || below('imagefs.available', image.availableBytes, image.capacityBytes)
      || below('imagefs.inodesFree', image.inodesFree, image.inodes),
    pid: below('pid.available', s.pidAvailable, s.pidMax),
  };
}

/**
 * Holds each pressure for the transition period after it was last observed, so the conditions
 * do not flap (upstream's eviction manager `thresholdsMetGracePeriod` / transition period).
 * Called by the status loop once per observation, with the clock's time.
 */
export class PressureTracker {
  private readonly lastSeen: Partial<Record<keyof Pressure, number>> = {};

  constructor(private readonly transitionPeriodMs = PRESSURE_TRANSITION_PERIOD_MS) {}

  observe(now: number, observed: Pressure): Pressure {
    const out = { memory: false, disk: false, pid: false };
    for (const k of ['memory', 'disk', 'pid'] as const) {
      if (observed[k]) this.lastSeen[k] = now;
      const seen = this.lastSeen[k];
      out[k] = seen !== undefined && now - seen < this.transitionPeriodMs;
    }
    return out;
  }
}

/** Kubernetes timestamps have second precision. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The four conditions for a status report at `now`. `readinessErrors` are the failing
 * readiness checks' messages (runtime, network, …); none means Ready=True.
 */
export function nodeConditions(now: number, previous: readonly NodeCondition[], pressure: Pressure, readinessErrors: readonly string[]): NodeCondition[] {
  const t = isoSeconds(now);
  const make = (type: string, status: string, reason: string, message: string): NodeCondition => {
    const old = previous.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : t;
    return { type, status, lastHeartbeatTime: t, lastTransitionTime, reason, message };
  };
  return [
    pressure.memory
      ? make('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
      : make('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    pressure.disk
      ? make('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
      : make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure.pid
      ? make('PIDPressure', 'True', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available')
      : make('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    readinessErrors.length === 0
      ? make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      // Upstream aggregates the errors: one is printed bare, several as `[a, b]`.
      : make('Ready', 'False', 'KubeletNotReady', readinessErrors.length === 1 ? readinessErrors[0]! : `[${readinessErrors.join(', ')}]`),
  ];
}

/** All four conditions healthy (what the hollow nodes of `capstan sim` always report). */
export function healthyConditions(now: number, previous: readonly NodeCondition[] = []): NodeCondition[] {
  return nodeConditions(now, previous, { memory: false, disk: false, pid: false }, []);
}

/** True when two condition lists differ in anything but their heartbeat times (upstream nodeConditionsHaveChanged). */
export function conditionsChanged(a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean {
  const strip = (l: readonly NodeCondition[] | undefined) => JSON.stringify((l ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })).sort((x, y) => (x.type ?? '').localeCompare(y.type ?? '')));
  return strip(a) !== strip(b);
}

const TRANSITION_EVENTS: Record<string, Record<string, string>> = {
  MemoryPressure: { False: 'NodeHasSufficientMemory', True: 'NodeHasInsufficientMemory' },
  DiskPressure: { False: 'NodeHasNoDiskPressure', True: 'NodeHasDiskPressure' },
  PIDPressure: { False: 'NodeHasSufficientPID', True: 'NodeHasInsufficientPID' },
  Ready: { False: 'NodeNotReady', True: 'NodeReady' },
};

/**
 * The Normal events the kubelet records about its Node when a condition appears or changes
 * status (upstream recordNodeStatusEvent): reason `NodeReady`, message `Node n1 status is now: NodeReady`.
 */
export function conditionTransitionEvents(nodeName: string, previous: readonly NodeCondition[], next: readonly NodeCondition[]): { reason: string; message: string }[] {
  const out: { reason: string; message: string }[] = [];
  for (const c of next) {
    const old = previous.find((p) => p.type === c.type);
    if (old && old.status === c.status) continue;
    const reason = TRANSITION_EVENTS[c.type ?? '']?.[c.status ?? ''];
    if (reason) out.push({ reason, message: `Node ${nodeName} status is now: ${reason}` });
  }
  return out;
}
