// Upstream GetPodQOS (pkg/apis/core/helper/qos): the pod's QoS class from its containers'
// requests and limits. Called by the pods strategy on create, after pod defaulting has copied
// limits into missing requests.
import { compareQuantity, addQuantity, isZeroQuantity, type Quantity } from '../meta/quantity.js';
import type { PodSpec } from './pod-spec.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Only cpu and memory decide the QoS class. */
const QOS_RESOURCES = ['cpu', 'memory'];

function nonZero(q: string): boolean {
  try { return !isZeroQuantity(q); } catch { return false; }
}

export function computeQOSClass(spec: PodSpec): QOSClass {
  const requests = new Map<string, Quantity | string>();
  const limits = new Map<string, Quantity | string>();
  let guaranteed = true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const [name, q] of Object.entries(c.resources?.requests ?? {})) {
      if (!QOS_RESOURCES.includes(name) || !nonZero(q)) continue;
      const prev = requests.get(name);
      requests.set(name, prev === undefined ? q : addQuantity(prev, q));
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(c.resources?.limits ?? {})) {
      if (!QOS_RESOURCES.includes(name) || !nonZero(q)) continue;
      found.add(name);
      const prev = limits.get(name);
      limits.set(name, prev === undefined ? q : addQuantity(prev, q));
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim === undefined || compareQuantity(lim, req) !== 0) { guaranteed = false; break; }
    }
  }
  if (guaranteed && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}

