// Service-link environment variables (upstream pkg/kubelet/envvars FromServices and the kubelet's
// getServiceEnvVarMap): `<NAME>_SERVICE_HOST`, `_SERVICE_PORT`, `_SERVICE_PORT_<PORTNAME>` and the
// docker-link style `<NAME>_PORT…`, for the pod's namespace's Services (enableServiceLinks) and
// always for `default/kubernetes`. Pure.
import type { Service } from '../../api/index.js';

/** The Services whose variables every pod gets, from the `default` namespace. */
const MASTER_SERVICES = new Set(['kubernetes']);

function isServiceIPSet(s: Service): boolean {
  const ip = s.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}

function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

function joinHostPort(host: string, port: number | undefined): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Upstream FromServices: the variables of each Service with a cluster IP, in order. */
export function envFromServices(list: Service[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const svc of list) {
    if (!isServiceIPSet(svc)) continue;
    const ports = svc.spec?.ports ?? [];
    const ip = svc.spec!.clusterIP!;
    const prefix = envName(svc.metadata?.name ?? '');
    out.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    if (ports.length === 0) continue;
    out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port) });
    for (const p of ports) {
      if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    }
    ports.forEach((p, i) => {
      const protocol = p.protocol || 'TCP';
      const lower = protocol.toLowerCase();
      const url = `${lower}://${joinHostPort(ip, p.port)}`;
      if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
      const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
      out.push(
        { name: portPrefix, value: url },
        { name: `${portPrefix}_PROTO`, value: lower },
        { name: `${portPrefix}_PORT`, value: String(p.port) },
        { name: `${portPrefix}_ADDR`, value: ip },
      );
    });
  }
  return out;
}

/**
 * Upstream getServiceEnvVarMap: `default/kubernetes` always; the namespace's own Services when
 * `enableServiceLinks`. `services` may hold any namespaces; others are ignored. Names sorted so
 * the result is stable (upstream iterates a map).
 */
export function serviceEnvMap(services: Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const byName = new Map<string, Service>();
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata?.name ?? '';
    const ns = svc.metadata?.namespace ?? '';
    if (ns === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, svc);
    }
  }
  const ordered = [...byName.keys()].sort().map((k) => byName.get(k)!);
  return new Map(envFromServices(ordered).map((e) => [e.name, e.value]));
}
