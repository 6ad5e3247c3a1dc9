// Which conntrack entries a proxy sync left stale, as a pure function of the service ports before
// and after the sync (kube-proxy's pkg/proxy/conntrack cleanup). Only UDP and SCTP matter: a TCP
// flow to a removed endpoint is reset by the endpoint's absence, but a UDP "flow" is an entry the
// kernel keeps refreshing while the client keeps sending, so without a deletion it would keep being
// NATed to the endpoint it first picked (or keep going nowhere) for as long as it is busy.
//
// Contract (what the caller runs after every successful backend sync; conntrack-runner.ts):
// - A frontend is where a client sends: a cluster IP, an external IP or a load-balancer IP with
//   the Service port, or the NodePort on any node address (per IP family). Frontends are compared
//   across service-port keys, so a port renamed within one sync is not a new frontend.
// - Frontend gone (Service or port deleted, IP changed) → delete every flow to it.
// - Frontend went from no usable endpoints (clusterEndpoints / externalEndpoints empty, or absent)
//   to some → delete every flow to it: entries made while it was rejecting or unknown would keep
//   blackholing the client (upstream's "newly active UDP services").
// - Otherwise, an endpoint `ip:port` that was eligible before and is not now → delete the flows to
//   the frontend whose reply source is that endpoint. Eligible = present with conditions.serving,
//   whatever the traffic policies or termination say (as upstream: a change to the Service must
//   not cut flows a TCP connection would keep, and a serving terminating endpoint drains).
// - `changed` narrows the work to those keys (the proxier's changed set); for 'all' (a full resync)
//   the keys whose ports differ are found here first.
import { clusterEndpoints, externalEndpoints, type EndpointInfo, type ServicePortInfo } from './model.js';

export type IPFamilyName = 'ipv4' | 'ipv6';

/** One `conntrack -D` filter. */
export interface ConntrackDeletion {
  family: IPFamilyName;
  protocol: 'UDP' | 'SCTP';
  /** --orig-dst: the frontend IP; absent for a NodePort (every node address). */
  origDst?: string;
  /** --orig-port-dst: the Service port or the NodePort. */
  origPortDst: number;
  /** --reply-src / --reply-port-src: the endpoint the flows were DNATed to; absent = every flow. */
  replySrc?: string;
  replyPortSrc?: number;
  /** Why (for logs): 'removed' | 'newly-active' | 'stale-endpoint'. */
  reason: 'removed' | 'newly-active' | 'stale-endpoint';
}

export interface Frontend {
  family: IPFamilyName;
  protocol: 'UDP' | 'SCTP';
  origDst?: string;
  origPortDst: number;
  /** Some endpoint serves traffic here now (the backend DNATs rather than rejects). */
  active: boolean;
  /** `ip:port` of the endpoints that may hold flows from this frontend. */
  eligible: Set<string>;
}

export function familyOf(ip: string): IPFamilyName {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

function eligibleEndpoints(endpoints: readonly EndpointInfo[]): Set<string> {
  return new Set(endpoints.filter((e) => e.serving).map((e) => `${e.ip}:${e.port}`));
}

/** The key frontendsOf files a frontend under (origDst undefined: a NodePort). */
export function frontendKey(protocol: string, family: IPFamilyName, origDst: string | undefined, origPortDst: number): string {
  return `${protocol} ${family} ${origDst ?? '*'} ${origPortDst}`;
}

function addFrontend(into: Map<string, Frontend>, f: Frontend): void {
  const key = frontendKey(f.protocol, f.family, f.origDst, f.origPortDst);
  const old = into.get(key);
  if (!old) { into.set(key, f); return; }
  // Two service ports claiming one frontend (a conflict the apiserver should prevent): merge them.
  old.active ||= f.active;
  for (const e of f.eligible) old.eligible.add(e);
}

/** The UDP/SCTP frontends of the service ports `keys` selects from `ports`, by frontendKey. */
export function frontendsOf(ports: ReadonlyMap<string, ServicePortInfo>, keys: Iterable<string>): Map<string, Frontend> {
  const out = new Map<string, Frontend>();
  for (const key of keys) {
    const sp = ports.get(key);
    if (!sp || sp.protocol === 'TCP' || sp.clusterIPs.length === 0) continue;
    const protocol = sp.protocol;
    const internalActive = clusterEndpoints(sp).length > 0;
    const externalActive = externalEndpoints(sp).length > 0;
    const eligible = eligibleEndpoints(sp.endpoints);
    for (const ip of sp.clusterIPs) {
      addFrontend(out, { family: familyOf(ip), protocol, origDst: ip, origPortDst: sp.port, active: internalActive, eligible: new Set(eligible) });
    }
    for (const ip of [...sp.externalIPs, ...sp.loadBalancerIPs]) {
      addFrontend(out, { family: familyOf(ip), protocol, origDst: ip, origPortDst: sp.port, active: externalActive, eligible: new Set(eligible) });
    }
    if (sp.nodePort) {
      for (const family of new Set(sp.clusterIPs.map(familyOf))) {
        addFrontend(out, { family, protocol, origPortDst: sp.nodePort, active: externalActive, eligible: new Set(eligible) });
      }
    }
  }
  return out;
}

function splitEndpoint(ep: string): { ip: string; port: number } {
  const i = ep.lastIndexOf(':');
  return { ip: ep.slice(0, i), port: Number(ep.slice(i + 1)) };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether two builds of a port give the same frontends and endpoints (endpoints come sorted). */
function sameForConntrack(a: ServicePortInfo, b: ServicePortInfo): boolean {
  if (a === b) return true;
  if (a.protocol !== b.protocol || a.port !== b.port || (a.nodePort ?? 0) !== (b.nodePort ?? 0)) return false;
  if (a.internalTrafficLocal !== b.internalTrafficLocal || a.externalTrafficLocal !== b.externalTrafficLocal) return false;
  if (!sameList(a.clusterIPs, b.clusterIPs) || !sameList(a.externalIPs, b.externalIPs) || !sameList(a.loadBalancerIPs, b.loadBalancerIPs)) return false;
  if (a.endpoints.length !== b.endpoints.length) return false;
  return a.endpoints.every((e, i) => {
    const f = b.endpoints[i]!;
    return e.ip === f.ip && e.port === f.port && e.ready === f.ready && e.serving === f.serving && e.terminating === f.terminating && e.isLocal === f.isLocal;
  });
}

/** For a full resync: the UDP/SCTP keys that differ (a full resync mostly changes nothing). */
function differingKeys(before: ReadonlyMap<string, ServicePortInfo>, after: ReadonlyMap<string, ServicePortInfo>): string[] {
  const out: string[] = [];
  for (const [key, sp] of after) {
    if (sp.protocol === 'TCP') continue;
    const old = before.get(key);
    if (!old || !sameForConntrack(old, sp)) out.push(key);
  }
  for (const [key, sp] of before) if (sp.protocol !== 'TCP' && !after.has(key)) out.push(key);
  return out;
}

/** The conntrack deletions that make `after` take effect for flows created under `before`. */
export function staleConntrackDeletions(
  before: ReadonlyMap<string, ServicePortInfo>,
  after: ReadonlyMap<string, ServicePortInfo>,
  changed: ReadonlySet<string> | 'all' = 'all',
): ConntrackDeletion[] {
  const keys = changed === 'all' ? differingKeys(before, after) : [...changed];
  const beforeKeys = keys.filter((k) => before.has(k));
  const afterKeys = keys.filter((k) => after.has(k));
  const was = frontendsOf(before, beforeKeys);
  const now = frontendsOf(after, afterKeys);
  const out: ConntrackDeletion[] = [];
  const whole = (f: Frontend, reason: ConntrackDeletion['reason']): ConntrackDeletion =>
    ({ family: f.family, protocol: f.protocol, ...(f.origDst ? { origDst: f.origDst } : {}), origPortDst: f.origPortDst, reason });
  for (const [key, old] of was) {
    if (!now.has(key)) out.push(whole(old, 'removed'));
  }
  for (const [key, cur] of now) {
    const old = was.get(key);
    if (cur.active && (!old || !old.active)) { out.push(whole(cur, 'newly-active')); continue; }
    if (!old) continue;
    for (const ep of [...old.eligible].sort()) {
      if (cur.eligible.has(ep)) continue;
      const { ip, port } = splitEndpoint(ep);
      out.push({ ...whole(cur, 'stale-endpoint'), replySrc: ip, replyPortSrc: port });
    }
  }
  return out;
}

/** The `conntrack` arguments that delete the flows `d` describes. */
export function conntrackDeleteArgs(d: ConntrackDeletion): string[] {
  const args = ['-D', '-f', d.family, '-p', d.protocol.toLowerCase()];
  if (d.origDst) args.push('--orig-dst', d.origDst);
  args.push('--orig-port-dst', String(d.origPortDst));
  if (d.replySrc) args.push('--reply-src', d.replySrc);
  if (d.replyPortSrc) args.push('--reply-port-src', String(d.replyPortSrc));
  return args;
}
