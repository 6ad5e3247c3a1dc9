// A pod's resolv.conf settings (upstream pkg/kubelet/network/dns Configurer.GetPodDNS): the base
// by dnsPolicy, then spec.dnsConfig merged in, then upstream's limits (3 nameservers, 32 search
// domains, 2048 characters, no domain over 253). Pure; limit warnings go to the event recorder.
import type { Pod } from '../../api/index.js';
import type { DNSConfig } from '../../runtime/index.js';
import { formatPod, type NodeContext } from './node-context.js';

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const MAX_DOMAIN_LENGTH = 253;
const DEFAULT_DNS_OPTIONS = ['ndots:5'];

/** Upstream parseResolvConf: nameservers, the last `search` line (trailing dots trimmed, `.` dropped), options. */
export function parseResolvConf(text: string): DNSConfig {
  const out: DNSConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#') || raw.startsWith(';')) continue;
    const fields = raw.trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields.length >= 2) out.servers.push(fields[1]!);
    if (fields[0] === 'search') out.searches = fields.slice(1).filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    if (fields[0] === 'options') out.options = mergeOptionStrings(out.options, fields.slice(1));
  }
  return out;
}

function mergeOptionStrings(existing: string[], more: string[]): string[] {
  const m = new Map<string, string>();
  for (const op of [...existing, ...more]) {
    const i = op.indexOf(':');
    if (i >= 0) m.set(op.slice(0, i), op.slice(i + 1)); else m.set(op, '');
  }
  return [...m].map(([k, v]) => (v === '' ? k : `${k}:${v}`));
}

function omitDuplicates(list: string[]): string[] {
  return [...new Set(list)];
}

type DNSType = 'none' | 'cluster' | 'host';

/** Upstream getPodDNSType: ClusterFirst on the host network falls back to Default. */
function podDNSType(pod: Pod): DNSType {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None': return 'none';
    case 'ClusterFirstWithHostNet': return 'cluster';
    case 'ClusterFirst': return pod.spec?.hostNetwork ? 'host' : 'cluster';
    default: return 'host';
  }
}

/** The pod's DNS settings for its sandbox. */
export function podDNSConfig(pod: Pod, node: NodeContext): DNSConfig {
  let cfg: DNSConfig = node.hostResolvConf === undefined ? { servers: [], searches: [], options: [] } : parseResolvConf(node.hostResolvConf);
  let type = podDNSType(pod);
  if (type === 'none') cfg = { servers: [], searches: [], options: [] };
  if (type === 'cluster') {
    if (node.clusterDNS.length > 0) {
      const ns = pod.metadata?.namespace ?? '';
      const d = node.clusterDomain;
      cfg.servers = [...node.clusterDNS];
      cfg.searches = d === '' ? cfg.searches : omitDuplicates([`${ns}.svc.${d}`, `svc.${d}`, d, ...cfg.searches]);
      cfg.options = [...DEFAULT_DNS_OPTIONS];
    } else {
      const msg = 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';
      node.recordEvent?.(pod, 'Warning', 'MissingClusterDNS', `pod: ${JSON.stringify(formatPod(pod))}. ${msg}`);
      type = 'host';
    }
  }
  if (type === 'host' && node.hostResolvConf === undefined) {
    cfg.servers = node.hostIPs.length === 0 ? ['127.0.0.1'] : node.hostIPs.map((ip) => (ip.includes(':') ? '::1' : '127.0.0.1'));
    cfg.searches = ['.'];
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    cfg.servers = omitDuplicates([...cfg.servers, ...(extra.nameservers ?? [])]);
    cfg.searches = omitDuplicates([...cfg.searches, ...(extra.searches ?? [])]);
    cfg.options = mergeOptionStrings(cfg.options, (extra.options ?? []).map((o) => (o.value === undefined || o.value === '' ? o.name ?? '' : `${o.name}:${o.value}`)));
  }
  return fitLimits(cfg, pod, node);
}

function fitLimits(cfg: DNSConfig, pod: Pod, node: NodeContext): DNSConfig {
  if (cfg.servers.length > MAX_DNS_NAMESERVERS) {
    cfg.servers = cfg.servers.slice(0, MAX_DNS_NAMESERVERS);
    node.recordEvent?.(pod, 'Warning', 'DNSConfigForming', `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${cfg.servers.join(' ')}`);
  }
  let exceeded = false;
  let search = cfg.searches;
  if (search.length > MAX_DNS_SEARCH_PATHS) { search = search.slice(0, MAX_DNS_SEARCH_PATHS); exceeded = true; }
  const kept = search.filter((s) => s.length <= MAX_DOMAIN_LENGTH);
  if (kept.length !== search.length) exceeded = true;
  search = kept;
  const lineLength = search.join(' ').length;
  if (lineLength > MAX_DNS_SEARCH_LIST_CHARS) {
    let cut = 0;
    let cutLength = 0;
    for (let i = search.length - 1; i >= 0; i--) {
      cutLength += search[i]!.length + 1;
      cut++;
      if (lineLength - cutLength <= MAX_DNS_SEARCH_LIST_CHARS) break;
    }
    search = search.slice(0, search.length - cut);
    exceeded = true;
  }
  if (exceeded) {
    node.recordEvent?.(pod, 'Warning', 'DNSConfigForming', `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${search.join(' ')}`);
  }
  cfg.searches = search;
  return cfg;
}

/** resolv.conf text for a DNSConfig (what the runtime writes into the sandbox). */
export function resolvConfText(cfg: DNSConfig): string {
  const lines: string[] = [];
  if (cfg.searches.length > 0) lines.push(`search ${cfg.searches.join(' ')}`);
  for (const s of cfg.servers) lines.push(`nameserver ${s}`);
  if (cfg.options.length > 0) lines.push(`options ${cfg.options.join(' ')}`);
  return lines.join('\n') + '\n';
}
