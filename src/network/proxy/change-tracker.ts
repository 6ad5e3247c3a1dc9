// Pure change tracking for the proxy: which service-port keys differ between two builds, and a
// tracker that keeps the current ServicePortInfo map up to date one Service at a time so a sync
// after one EndpointSlice change costs one Service's rebuild, not all of them.
//
// Contract: two ServicePortInfos are "the same" when their canonical contents are equal (every
// field; endpoints are already sorted by service-ports.ts). A key present on one side only is a
// change (added or removed). The backend receives removed keys too: it finds them missing from
// the state and deletes their rules.
import type { ServicePortInfo } from './model.js';

/** A canonical text of a ServicePortInfo: equal contents ⇔ equal text. */
export function canonicalServicePort(sp: ServicePortInfo): string {
  return JSON.stringify([
    sp.key, sp.namespace, sp.name, sp.portName, sp.protocol, sp.clusterIPs, sp.port, sp.nodePort ?? 0,
    sp.externalIPs, sp.loadBalancerIPs, sp.sessionAffinityTimeoutSeconds ?? 0, sp.internalTrafficLocal, sp.externalTrafficLocal,
    sp.endpoints.map((e) => [e.ip, e.port, e.ready, e.serving, e.terminating, e.nodeName ?? '', e.isLocal]),
  ]);
}

/** Keys added, removed or changed from `before` to `after`. */
export function changedServicePorts(before: ReadonlyMap<string, ServicePortInfo>, after: ReadonlyMap<string, ServicePortInfo>): Set<string> {
  const changed = new Set<string>();
  for (const [key, sp] of after) {
    const old = before.get(key);
    if (!old || canonicalServicePort(old) !== canonicalServicePort(sp)) changed.add(key);
  }
  for (const key of before.keys()) if (!after.has(key)) changed.add(key);
  return changed;
}

/**
 * The proxy's current ServicePortInfos, grouped by Service (`namespace/name`). The proxier calls
 * `replaceService` with a Service's fresh ports (empty when it is gone or skipped) and gets back
 * the service-port keys that changed; `replaceAll` does the same for a full rebuild.
 */
export class ServicePortTracker {
  private readonly ports = new Map<string, ServicePortInfo>();
  /** Service key → its service-port keys. */
  private readonly byService = new Map<string, string[]>();
  /** Canonical text per key, computed once per stored info. */
  private readonly canon = new Map<string, string>();

  /** The current map (shared, not a copy: the backend must not mutate it). */
  get servicePorts(): ReadonlyMap<string, ServicePortInfo> { return this.ports; }

  /** Replaces one Service's ports; returns the keys that changed. */
  replaceService(svcKey: string, next: readonly ServicePortInfo[], changed: Set<string> = new Set()): Set<string> {
    const nextKeys = new Set(next.map((sp) => sp.key));
    for (const key of this.byService.get(svcKey) ?? []) {
      if (nextKeys.has(key)) continue;
      this.ports.delete(key);
      this.canon.delete(key);
      changed.add(key);
    }
    for (const sp of next) {
      const text = canonicalServicePort(sp);
      if (this.canon.get(sp.key) !== text) changed.add(sp.key);
      this.ports.set(sp.key, sp);
      this.canon.set(sp.key, text);
    }
    if (next.length > 0) this.byService.set(svcKey, [...nextKeys]);
    else this.byService.delete(svcKey);
    return changed;
  }

  /** Replaces everything with a full build (grouped by Service); returns the keys that changed. */
  replaceAll(all: ReadonlyMap<string, ServicePortInfo>): Set<string> {
    const grouped = new Map<string, ServicePortInfo[]>();
    for (const sp of all.values()) {
      const k = `${sp.namespace}/${sp.name}`;
      const list = grouped.get(k);
      if (list) list.push(sp);
      else grouped.set(k, [sp]);
    }
    const changed = new Set<string>();
    for (const svcKey of [...this.byService.keys()]) if (!grouped.has(svcKey)) this.replaceService(svcKey, [], changed);
    for (const [svcKey, list] of grouped) this.replaceService(svcKey, list, changed);
    return changed;
  }
}
