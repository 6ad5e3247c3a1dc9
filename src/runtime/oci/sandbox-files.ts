// The files a sandbox shares with all its containers, rendered as the kubelet renders them
// (pkg/kubelet/network/dns for resolv.conf, kubelet_pods.go managedHostsFileContent for hosts).
import type { DNSConfig } from '../runtime.js';

/** resolv.conf from a pod's DNS config; empty lists leave their line out. */
export function renderResolvConf(dns: DNSConfig): string {
  const lines: string[] = [];
  for (const s of dns.servers) lines.push(`nameserver ${s}`);
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** The kubelet-managed /etc/hosts: the loopback and IPv6 boilerplate, then the pod's IPs and hostname. */
export function renderHostsFile(ips: string[], hostname: string): string {
  let out = '# Kubernetes-managed hosts file.\n'
    + '127.0.0.1\tlocalhost\n'
    + '::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\n'
    + 'fe00::0\tip6-mcastprefix\n'
    + 'fe00::1\tip6-allnodes\n'
    + 'fe00::2\tip6-allrouters\n';
  for (const ip of ips) out += `${ip}\t${hostname}\n`;
  return out;
}

/** A hostname the kernel accepts: at most 64 bytes (the kubelet truncates pod names the same way). */
export function sandboxHostname(name: string, hostname?: string): string {
  return (hostname || name).slice(0, 63).replace(/[-.]+$/, '');
}
