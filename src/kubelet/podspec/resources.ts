// Requests and limits → the runtime's LinuxContainerResources, the pod's QoS class and cgroup
// parent, and the container's oom_score_adj: upstream kuberuntime calculateLinuxResources,
// cm.MilliCPUToShares / milliCPUToQuota, qos.GetContainerOOMScoreAdjust and the cgroupfs names of
// the pod container manager. Pure.
import { computeQOSClass, quantityToMilli, quantityValue } from '../../api/light.js';
import type { Pod, QOSClass } from '../../api/index.js';
import type { Container } from './spec-types.js';
import type { LinuxContainerResources } from '../../runtime/index.js';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
/** CFS period (µs) upstream uses unless the CPUCFSQuotaPeriod gate changes it. */
export const QUOTA_PERIOD = 100000;
const MIN_QUOTA_PERIOD = 1000;

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;
/** Upstream SystemCriticalPriority: priorities at or above it are critical. */
const SYSTEM_CRITICAL_PRIORITY = 2000000000;

/** Upstream MilliCPUToShares. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.trunc((milliCPU * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** Upstream milliCPUToQuota: 0 (no quota) without a limit, at least 1000 µs otherwise. */
export function milliCPUToQuota(milliCPU: number, period: number = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.trunc((milliCPU * period) / 1000));
}

function milli(list: Record<string, string> | undefined, name: string): number {
  const q = list?.[name];
  return q === undefined ? 0 : quantityToMilli(q);
}

function value(list: Record<string, string> | undefined, name: string): number {
  const q = list?.[name];
  return q === undefined ? 0 : quantityValue(q);
}

/**
 * Upstream calculateLinuxResources: shares from the CPU request (or the limit when only a limit
 * is set), CFS quota from the limit, memory limit in bytes. A zero quota is left out (no limit).
 */
export function containerResources(container: Container): LinuxContainerResources {
  const req = container.resources?.requests;
  const lim = container.resources?.limits;
  const cpuRequest = milli(req, 'cpu');
  const cpuLimit = milli(lim, 'cpu');
  const out: LinuxContainerResources = {
    cpuShares: milliCPUToShares(cpuRequest === 0 && cpuLimit !== 0 ? cpuLimit : cpuRequest),
    cpuPeriod: QUOTA_PERIOD,
  };
  const quota = milliCPUToQuota(cpuLimit);
  if (quota > 0) out.cpuQuota = quota;
  const memoryLimit = value(lim, 'memory');
  if (memoryLimit !== 0) out.memoryLimitInBytes = memoryLimit;
  return out;
}

/** Upstream GetPodQOS: the class the API server recorded (immutable), else computed from the spec. */
export function podQOSClass(pod: Pod): QOSClass {
  const recorded = pod.status?.qosClass;
  if (recorded === 'Guaranteed' || recorded === 'Burstable' || recorded === 'BestEffort') return recorded;
  return computeQOSClass(pod.spec ?? { containers: [] });
}

/** The pod's cgroup (cgroupfs driver), relative to each hierarchy's root. */
export function podCgroupParent(pod: Pod): string {
  const uid = pod.metadata?.uid ?? '';
  switch (podQOSClass(pod)) {
    case 'Guaranteed': return `/kubepods/pod${uid}`;
    case 'Burstable': return `/kubepods/burstable/pod${uid}`;
    case 'BestEffort': return `/kubepods/besteffort/pod${uid}`;
  }
}

/** Upstream IsNodeCriticalPod: critical (static, mirror or system priority) and `system-node-critical`. */
function isNodeCriticalPod(pod: Pod): boolean {
  const source = pod.metadata?.annotations?.['kubernetes.io/config.source'];
  const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  const critical = (source !== undefined && source !== 'api') || mirror || (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
  return critical && pod.spec?.priorityClassName === 'system-node-critical';
}

function burstableScore(memoryRequest: number, memoryCapacity: number): number {
  return 1000 - Math.trunc((1000 * memoryRequest) / memoryCapacity);
}

/**
 * Upstream GetContainerOOMScoreAdjust: -997 Guaranteed (and node-critical pods), 1000 BestEffort;
 * Burstable from the memory request's share of the node's memory, kept within 3 … 999. A sidecar
 * (init container with restartPolicy Always) gets no higher a score than the pod's main containers.
 */
export function containerOOMScoreAdj(pod: Pod, container: Container, memoryCapacity: number): number {
  if (isNodeCriticalPod(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOSClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  if (memoryCapacity <= 0) return BESTEFFORT_OOM_SCORE_ADJ - 1;
  let score = burstableScore(value(container.resources?.requests, 'memory'), memoryCapacity);
  const sidecar = container.restartPolicy === 'Always' && (pod.spec?.initContainers ?? []).some((c) => c.name === container.name);
  if (sidecar) {
    for (const c of pod.spec?.containers ?? []) score = Math.min(score, burstableScore(value(c.resources?.requests, 'memory'), memoryCapacity));
  }
  if (score < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (score === BESTEFFORT_OOM_SCORE_ADJ) return score - 1;
  return score;
}
