// The upstream nameservers of the host, read from a resolv.conf (resolv.conf(5)): `nameserver`
// lines in order, IPv4 or IPv6 (a `%zone` suffix is dropped), comments (`#`, `;`) ignored.
// Addresses this DNS server itself listens on (same address and port 53) are skipped, so the
// server never forwards to itself (CoreDNS's loop plugin guards against the same mistake).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { canonicalIP } from './names.js';
import type { Upstream } from './forwarder.js';

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

/** The nameserver addresses of a resolv.conf text, in order, without duplicates. */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const addr = m[1].replace(/%.*$/, '');
    if (!isIP(addr)) continue;
    const ip = canonicalIP(addr)!;
    if (!out.includes(ip)) out.push(ip);
  }
  return out;
}

/** Upstreams (port 53) from resolv.conf text, minus the addresses in `own` (this server's). */
export function upstreamsFromResolvConf(text: string, own: readonly { host: string; port?: number }[] = []): Upstream[] {
  const ownHosts = new Set(own.filter((l) => (l.port ?? 53) === 53).map((l) => canonicalIP(l.host) ?? l.host));
  return parseResolvConf(text).filter((ip) => !ownHosts.has(ip)).map((host) => ({ host, port: 53 }));
}

/** Reads `path` (missing file: no upstreams). */
export function readResolvConf(path: string, own: readonly { host: string; port?: number }[] = []): Upstream[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return upstreamsFromResolvConf(text, own);
}
