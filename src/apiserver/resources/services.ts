// Services: cluster IPs from the service CIDR and node ports from the NodePort range, reserved
// before the write and released when the write fails or the Service goes.
import { errors, fieldError, type FieldError, type KubeObject } from '../../api/index.js';
import type { ResourceHooks } from '../registry/context.js';
import { ipToNumber, ipToString, type ServiceAllocator } from './service-allocator.js';

interface ServicePort { name?: string; port?: number; nodePort?: number; protocol?: string }
interface ServiceSpec {
  type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: ServicePort[];
  ipFamilies?: string[]; ipFamilyPolicy?: string;
}

const wantsNodePorts = (s: ServiceSpec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
const wantsClusterIP = (s: ServiceSpec) => s.type !== 'ExternalName';

function invalid(name: string, errs: FieldError[]) {
  return errors.invalid({ group: '', kind: 'Service' }, name, errs);
}

/** Records what a stored Service holds (at start-up). */
export function recordServiceAllocations(alloc: ServiceAllocator, svc: KubeObject): void {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
    const n = ipToNumber(ip);
    if (n !== undefined) alloc.ips.reserve(n);
  }
  for (const p of spec.ports ?? []) if (p.nodePort) alloc.ports.reserve(p.nodePort);
}

function releaseAll(alloc: ServiceAllocator, spec: ServiceSpec, keep?: ServiceSpec): void {
  const keptIPs = new Set(keep?.clusterIPs ?? []);
  for (const ip of spec.clusterIPs ?? []) {
    const n = ipToNumber(ip);
    if (n !== undefined && !keptIPs.has(ip)) alloc.ips.release(n);
  }
  const keptPorts = new Set((keep?.ports ?? []).map((p) => p.nodePort));
  for (const p of spec.ports ?? []) if (p.nodePort && !keptPorts.has(p.nodePort)) alloc.ports.release(p.nodePort);
}

/** Reserves what `spec` needs beyond `old` (mutates spec). Throws 422 and reserves nothing on failure. */
function allocate(alloc: ServiceAllocator, name: string, spec: ServiceSpec, old?: ServiceSpec): void {
  const taken: (() => void)[] = [];
  const fail = (errs: FieldError[]) => {
    for (const undo of taken) undo();
    return invalid(name, errs);
  };
  if (wantsClusterIP(spec) && spec.clusterIP !== 'None') {
    const oldIP = old?.clusterIP && old.clusterIP !== 'None' ? old.clusterIP : undefined;
    if (!spec.clusterIP) {
      if (oldIP) spec.clusterIP = oldIP;
      else {
        const n = alloc.ips.next();
        if (n === undefined) throw fail([fieldError.invalid('spec.clusterIPs', [], 'failed to allocate IP: range is full')]);
        taken.push(() => alloc.ips.release(n));
        spec.clusterIP = ipToString(n);
      }
    } else if (spec.clusterIP !== oldIP) {
      const n = ipToNumber(spec.clusterIP);
      if (n === undefined || !alloc.ips.contains(n)) {
        throw fail([fieldError.invalid('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${ipToString(alloc.ips.first - 1)}/${32 - Math.log2(alloc.ips.last - alloc.ips.first + 3)}`)]);
      }
      if (!alloc.ips.reserve(n)) throw fail([fieldError.invalid('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`)]);
      taken.push(() => alloc.ips.release(n));
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (wantsNodePorts(spec)) {
    const oldPorts = new Set((old && wantsNodePorts(old) ? old.ports ?? [] : []).map((p) => p.nodePort).filter(Boolean));
    const seen = new Set<number>();
    (spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort) {
        if (oldPorts.has(p.nodePort) || seen.has(p.nodePort)) {
          seen.add(p.nodePort);
          return;
        }
        const n = p.nodePort;
        if (!alloc.ports.contains(n)) {
          throw fail([fieldError.invalid(`spec.ports[${i}].nodePort`, n, `provided port is not in the valid range. The range of valid ports is ${alloc.ports.first}-${alloc.ports.last}`)]);
        }
        if (!alloc.ports.reserve(n)) throw fail([fieldError.invalid(`spec.ports[${i}].nodePort`, n, 'provided port is already allocated')]);
        taken.push(() => alloc.ports.release(n));
        seen.add(n);
      } else {
        const n = alloc.ports.next();
        if (n === undefined) throw fail([fieldError.invalid(`spec.ports[${i}].nodePort`, 0, 'range is full')]);
        taken.push(() => alloc.ports.release(n));
        p.nodePort = n;
        seen.add(n);
      }
    });
  } else {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
}

export function serviceHooks(alloc: ServiceAllocator): ResourceHooks {
  return {
    beforeCreate(obj) {
      allocate(alloc, obj.metadata?.name ?? '', (obj.spec ??= {}) as ServiceSpec);
    },
    carryOver(obj, old) {
      const spec = (obj.spec ??= {}) as ServiceSpec;
      const oldSpec = (old.spec ?? {}) as ServiceSpec;
      if (!spec.clusterIP && oldSpec.clusterIP && wantsClusterIP(spec)) {
        spec.clusterIP = oldSpec.clusterIP;
        if (!spec.clusterIPs?.length) spec.clusterIPs = oldSpec.clusterIPs;
      }
      if (wantsNodePorts(spec) && wantsNodePorts(oldSpec)) {
        for (const p of spec.ports ?? []) {
          if (p.nodePort) continue;
          const same = (oldSpec.ports ?? []).find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          if (same?.nodePort) p.nodePort = same.nodePort;
        }
      }
    },
    beforeUpdate(obj, old) {
      const spec = (obj.spec ??= {}) as ServiceSpec;
      const oldSpec = (old.spec ?? {}) as ServiceSpec;
      allocate(alloc, obj.metadata?.name ?? '', spec, oldSpec);
      // What the old spec held and the new one dropped is freed once the write lands; freeing
      // it now is safe because one process owns allocation and the write is the next step.
      releaseAll(alloc, oldSpec, spec);
    },
    rollback(obj, old) {
      const spec = (obj.spec ?? {}) as ServiceSpec;
      if (!old) releaseAll(alloc, spec);
      else {
        releaseAll(alloc, spec, (old.spec ?? {}) as ServiceSpec);
        recordServiceAllocations(alloc, old);
      }
    },
    afterDelete(obj) {
      releaseAll(alloc, (obj.spec ?? {}) as ServiceSpec);
    },
  };
}
