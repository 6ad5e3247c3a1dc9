// The proxy's first sync has no previous state to diff (conntrack.ts needs one), yet flows made
// while no proxy ran (endpoints changed during an agent restart) may be stale. So the first sync
// reconciles against the kernel's table instead, as upstream's CleanStaleEntries does on every
// sync: list the UDP/SCTP entries (`conntrack -L`), and delete those sent to a frontend of a
// current service port that has serving endpoints but whose reply source is none of them
// (a flow NATed to a gone endpoint, or one never NATed because it was made while rejecting).
// Pure: text in, deletions out; conntrack-runner.ts does the I/O.
import { familyOf, frontendKey, frontendsOf, type ConntrackDeletion } from './conntrack.js';
import type { ServicePortInfo } from './model.js';

/** One entry of `conntrack -L`: the original direction's destination and the reply's source. */
export interface ConntrackFlow {
  protocol: 'UDP' | 'SCTP';
  origDst: string;
  origPortDst: number;
  replySrc: string;
  replyPortSrc: number;
}

/**
 * Parses one line of `conntrack -L` (`udp 17 29 src=… dst=… sport=… dport=… [UNREPLIED] src=…
 * dst=… sport=… dport=… …`): the first src/dst/sport/dport are the original direction, the second
 * the reply. Other protocols, summary lines and lines that do not parse give undefined.
 */
export function parseConntrackLine(line: string): ConntrackFlow | undefined {
  const words = line.trim().split(/\s+/);
  // `-o extended` prefixes the family ("ipv4 2 udp 17 …"); the plain format starts with the protocol.
  const proto = (words[0] === 'ipv4' || words[0] === 'ipv6' ? words[2] : words[0])?.toUpperCase();
  if (proto !== 'UDP' && proto !== 'SCTP') return undefined;
  const seen: Record<string, string[]> = {};
  for (const w of words) {
    const i = w.indexOf('=');
    if (i > 0) (seen[w.slice(0, i)] ??= []).push(w.slice(i + 1));
  }
  const origDst = seen.dst?.[0];
  const replySrc = seen.src?.[1];
  const origPortDst = Number(seen.dport?.[0]);
  const replyPortSrc = Number(seen.sport?.[1]);
  if (!origDst || !replySrc || !Number.isInteger(origPortDst) || !Number.isInteger(replyPortSrc)) return undefined;
  return { protocol: proto, origDst, origPortDst, replySrc, replyPortSrc };
}

/**
 * A checker over the current service ports: `check(flow)` files the deletion the flow needs (if
 * any), deduplicated, and `deletions()` returns them. Lines can be fed as `conntrack -L` streams
 * them, so a large table is never held in memory.
 */
export function staleFlowChecker(ports: ReadonlyMap<string, ServicePortInfo>): { check(flow: ConntrackFlow): void; deletions(): ConntrackDeletion[] } {
  const frontends = frontendsOf(ports, ports.keys());
  // A flow to a Service IP is never a NodePort flow, even when its port equals some NodePort.
  const serviceIPs = new Set<string>();
  for (const sp of ports.values()) for (const ip of [...sp.clusterIPs, ...sp.externalIPs, ...sp.loadBalancerIPs]) serviceIPs.add(ip);
  const out = new Map<string, ConntrackDeletion>();
  return {
    check(flow) {
      const family = familyOf(flow.origDst);
      const reply = `${flow.replySrc}:${flow.replyPortSrc}`;
      // By IP; else the NodePort frontend, which matches the port on any other address (as upstream).
      for (const origDst of serviceIPs.has(flow.origDst) ? [flow.origDst] : [flow.origDst, undefined]) {
        const f = frontends.get(frontendKey(flow.protocol, family, origDst, flow.origPortDst));
        // A frontend without serving endpoints keeps its entries (they fail either way), as upstream.
        if (!f || f.eligible.size === 0 || f.eligible.has(reply)) continue;
        out.set(`${flow.protocol} ${family} ${origDst ?? '*'} ${flow.origPortDst} ${reply}`, {
          family, protocol: flow.protocol, ...(origDst ? { origDst } : {}), origPortDst: flow.origPortDst,
          replySrc: flow.replySrc, replyPortSrc: flow.replyPortSrc, reason: 'stale-endpoint',
        });
      }
    },
    deletions: () => [...out.values()],
  };
}

/** Deletions for the listed flows (the whole `conntrack -L` text) that do not answer from a serving endpoint. */
export function staleFlowDeletions(listing: string, ports: ReadonlyMap<string, ServicePortInfo>): ConntrackDeletion[] {
  const checker = staleFlowChecker(ports);
  for (const line of listing.split('\n')) {
    const flow = parseConntrackLine(line);
    if (flow) checker.check(flow);
  }
  return checker.deletions();
}
