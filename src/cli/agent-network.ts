// The agent's network roles, beside the kubelet: the routes between nodes (with the built-in pod
// network), the Service proxy (nftables or iptables; its backend is loaded only for the mode in
// use) and the cluster DNS server. Each runs until `signal`, and is restarted with a
// backoff if it fails (a proxy that cannot program the kernel, a DNS port already taken), so a
// failing network role never takes the kubelet down with it.
//
// Cluster DNS: once the node's DNS server listens on the node's InternalIP, the agent labels its
// Node `node.capstan.dev/cluster-dns=true`; the cluster-dns controller then adds the node to the
// kube-dns Service's EndpointSlice, and pods reach it through the kube-dns Service (10.43.0.10,
// internalTrafficPolicy Local: always their own node's server). An agent that runs no DNS server
// removes the label.
import { setMaxListeners } from 'node:events';
import { nodesRef } from '../api/light.js';
import type { Client } from '../client/index.js';
import { sleep } from '../client/index.js';
import { startClusterDNS, startNodeRoutes, startProxy } from '../network/index.js';

export const CLUSTER_DNS_NODE_LABEL = 'node.capstan.dev/cluster-dns';

export type ProxyModeFlag = 'nftables' | 'iptables';

export interface NodeNetworkConfig {
  client: Client;
  nodeName: string;
  /** The node's InternalIP: where the DNS server listens. */
  nodeIP?: string;
  clusterCIDRs: string[];
  /** The Service range(s), for reverse (PTR) lookups. */
  serviceCIDRs: string[];
  /** The kube-dns Service IP(s) (`--cluster-dns`). */
  clusterDNS: string[];
  clusterDomain: string;
  /** Upstream resolvers for names outside the cluster (default /etc/resolv.conf). */
  resolvConf?: string;
  /** Routes between nodes: only with the built-in pod network. */
  routes: boolean;
  /** undefined: no proxy (`--disable-kube-proxy`). */
  proxyMode?: ProxyModeFlag;
  /** Run the cluster DNS server (off with `--disable-cluster-dns`). */
  clusterDNSServer: boolean;
  log(msg: string): void;
}

/** Runs `start` until `signal`; restarts it after a failure, waiting 1 s doubling to 30 s. */
async function keepRunning(name: string, start: (signal: AbortSignal) => Promise<void>, signal: AbortSignal, log: (m: string) => void): Promise<void> {
  for (let backoff = 1000; !signal.aborted; backoff = Math.min(backoff * 2, 30_000)) {
    try {
      await start(signal);
      if (signal.aborted) return;
      log(`${name}: stopped unexpectedly; restarting in ${backoff / 1000} s`);
    } catch (e) {
      if (signal.aborted) return;
      log(`${name}: ${(e as Error).message}; restarting in ${backoff / 1000} s`);
    }
    await sleep(backoff, signal);
  }
}

/** Sets (value) or removes (null) one label of this node's Node, retrying until it lands or `signal`. */
async function setNodeLabel(client: Client, nodeName: string, key: string, value: string | null, signal: AbortSignal, log: (m: string) => void): Promise<void> {
  for (let backoff = 500; !signal.aborted; backoff = Math.min(backoff * 2, 10_000)) {
    try {
      const nodes = client.resource(nodesRef);
      if (value === null) {
        const node = await nodes.get('', nodeName);
        if (node.metadata?.labels?.[key] === undefined) return;
      }
      await nodes.patch('', nodeName, 'merge', { metadata: { labels: { [key]: value } } });
      return;
    } catch (e) {
      // Before the kubelet registered the Node, a 404 is expected: wait quietly.
      if ((e as { code?: unknown }).code !== 404) log(`cannot ${value === null ? 'remove' : 'set'} the label ${key} on node ${nodeName} yet: ${(e as Error).message}`);
      await sleep(backoff, signal);
    }
  }
}

/** Starts the node's network roles; resolves once all of them stopped after `signal`. */
export async function runNodeNetwork(cfg: NodeNetworkConfig, signal: AbortSignal): Promise<void> {
  const { client, nodeName, log } = cfg;
  // The kubelet and every role's informers wait on the agent's signal.
  setMaxListeners(64, signal);
  const roles: Promise<void>[] = [];
  if (cfg.routes) {
    const clusterCIDR = cfg.clusterCIDRs.join(',');
    roles.push(keepRunning('routes', (s) => startNodeRoutes({ client, nodeName, clusterCIDR, log: (m) => log(`routes: ${m}`) }, s), signal, log));
  }
  if (cfg.proxyMode) {
    const mode = cfg.proxyMode;
    roles.push(keepRunning(`proxy (${mode})`, (s) => startProxy({ client, nodeName, mode, clusterCIDRs: cfg.clusterCIDRs, log: (m) => log(`proxy: ${m}`) }, s), signal, log));
  }
  if (cfg.clusterDNSServer && cfg.nodeIP) {
    const host = cfg.nodeIP;
    roles.push(keepRunning('cluster DNS', (s) => startClusterDNS({
      client, listen: [{ host }], domain: cfg.clusterDomain, resolvConf: cfg.resolvConf, nameserverIPs: cfg.clusterDNS,
      reverseCIDRs: [...cfg.clusterCIDRs, ...cfg.serviceCIDRs], log: (m) => log(`dns: ${m}`),
      onListening: () => {
        log(`dns: serving cluster DNS on ${host}:53 (UDP and TCP)`);
        void setNodeLabel(client, nodeName, CLUSTER_DNS_NODE_LABEL, 'true', s, log);
      },
    }, s), signal, log));
  } else {
    if (cfg.clusterDNSServer) log('dns: no node IP to serve cluster DNS on; not running it');
    roles.push(setNodeLabel(client, nodeName, CLUSTER_DNS_NODE_LABEL, null, signal, log));
  }
  await Promise.all(roles);
}
