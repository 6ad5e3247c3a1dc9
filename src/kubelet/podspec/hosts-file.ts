// The kubelet-managed /etc/hosts of a pod (upstream managedHostsFileContent / nodeHostsFileContent
// and GeneratePodHostNameAndDomain). Pure text; the runtime writes the file and bind-mounts it.
import type { Pod } from '../../api/index.js';

const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';
const MAX_HOSTNAME_LENGTH = 63;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Upstream truncatePodHostnameIfNeeded: at most 63 characters, no trailing `-` or `.`. */
function truncateHostname(hostname: string): string {
  if (hostname.length <= MAX_HOSTNAME_LENGTH) return hostname;
  return hostname.slice(0, MAX_HOSTNAME_LENGTH).replace(/[-.]+$/, '');
}

/**
 * Upstream GeneratePodHostNameAndDomain: hostname is spec.hostname or the pod name; the domain
 * `<subdomain>.<ns>.svc.<clusterDomain>` when spec.subdomain is set, else ''.
 */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname = pod.metadata?.name ?? '';
  const specHostname = pod.spec?.hostname;
  if (specHostname) {
    if (specHostname.length > MAX_HOSTNAME_LENGTH || !DNS1123_LABEL.test(specHostname)) {
      throw new Error(`pod Hostname ${JSON.stringify(specHostname)} is not a valid DNS label: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`);
    }
    hostname = specHostname;
  }
  hostname = truncateHostname(hostname);
  const sub = pod.spec?.subdomain;
  return { hostname, domain: sub ? `${sub}.${pod.metadata?.namespace ?? ''}.svc.${clusterDomain}` : '' };
}

/** The UTS hostname of the sandbox: the leaf name, or the FQDN with setHostnameAsFQDN (at most 64 characters). */
export function sandboxHostname(pod: Pod, clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  if (!pod.spec?.setHostnameAsFQDN || domain === '') return hostname;
  const fqdn = `${hostname}.${domain}`;
  if (fqdn.length > 64) {
    throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)`);
  }
  return fqdn;
}

function hostAliasEntries(pod: Pod): string {
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

/**
 * The managed hosts file for a pod with its own network namespace: localhost entries, one line per
 * pod IP naming the pod (with its FQDN when it has a subdomain), then hostAliases.
 */
export function hostsFileFor(pod: Pod, podIPs: string | string[], clusterDomain = 'cluster.local'): string {
  const ips = typeof podIPs === 'string' ? [podIPs] : podIPs;
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let out = MANAGED_HEADER;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of ips) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + hostAliasEntries(pod);
}

/** The hosts file of a hostNetwork pod: the node's own /etc/hosts text plus hostAliases. */
export function hostNetworkHostsFile(pod: Pod, nodeHostsText: string): string {
  return MANAGED_HEADER_HOST_NETWORK + nodeHostsText + hostAliasEntries(pod);
}
