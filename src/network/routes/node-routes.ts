// The node routes role: host-gateway routes to every other Node's pod CIDR via that Node's
// InternalIP, and the egress masquerade table `ip capstan-node`, on this node.
//
// Contracts:
// - Level-based: every sync reads all Nodes from the informer cache and the kernel's routes of
//   protocol ROUTE_PROTOCOL, and applies only the difference; a periodic full resync (default
//   30 s) also re-applies the nft table, repairing drift. A failed sync is retried within 5 s.
// - Node heartbeats (status updates that change neither pod CIDRs nor addresses) do not trigger
//   a sync; changes are batched (a short delay), so a burst of Node changes costs one sync.
// - Stopping (the signal) leaves routes and the table in place, so pods keep talking while the
//   agent restarts (as kube-proxy and flannel do); `cleanupNodeRoutes` (capstan killall) removes
//   exactly what this role made.
import type { Node } from '../../api/index.js';
import { nodesRef } from '../../api/light.js';
import { Informer, type Client } from '../../client/index.js';
import { desiredRoutes, diffRoutes, internalIPv4Of, parseInstalledRoutes, podCIDRsOf, routeBatch, type InstalledRoute, type RouteChanges } from './desired-routes.js';
import { deleteNodeTableRuleset, egressMasqueradeRuleset, NODE_TABLE } from './egress-masquerade.js';
import { enableIPv4Forwarding, ip, nftApply } from './host.js';


export interface NodeRoutesOptions {
  client: Client;
  /** This node: its own pod CIDR gets no route. */
  nodeName: string;
  /** The cluster CIDR(s), comma-separated (default 10.42.0.0/16): routes only for pod CIDRs inside, masquerade for traffic leaving. */
  clusterCIDR: string;
  log(msg: string): void;
  /** Program a named network namespace instead of the current one (tests). */
  netns?: string;
  /** Full resync period (default 30 s). */
  resyncPeriodMs?: number;
  /** Delay that batches Node changes into one sync (default 50 ms). */
  batchDelayMs?: number;
}

export function parseClusterCIDRs(flag: string): string[] {
  return flag.split(',').map((c) => c.trim()).filter(Boolean);
}

/** What a change must touch to matter to routes: names, pod CIDRs and the InternalIP. */
function routingSignature(n: Node): string {
  return `${podCIDRsOf(n).join(',')}|${internalIPv4Of(n) ?? ''}`;
}

/** Keeps only what routing reads (the informer's cache holds every Node of the cluster). */
function trimNode(obj: Node): Node {
  return {
    apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata ? { name: obj.metadata.name, resourceVersion: obj.metadata.resourceVersion, uid: obj.metadata.uid } : undefined,
    spec: { podCIDR: obj.spec?.podCIDR, podCIDRs: obj.spec?.podCIDRs },
    status: { addresses: obj.status?.addresses },
  } as Node;
}

export async function installedRoutes(netns?: string): Promise<InstalledRoute[]> {
  const r = await ip(netns, ['-j', '-4', 'route', 'show', 'table', 'main']);
  if (r.code !== 0) throw new Error(`ip route show: ${r.stderr.trim()}`);
  return parseInstalledRoutes(r.stdout);
}

export async function applyRouteChanges(changes: RouteChanges, netns?: string): Promise<void> {
  const batch = routeBatch(changes);
  if (!batch) return;
  const r = await ip(netns, ['-force', '-batch', '-'], batch);
  if (r.code !== 0) throw new Error(`ip route: ${r.stderr.trim()}`);
}

export async function applyEgressMasquerade(clusterCIDRs: readonly string[], netns?: string): Promise<void> {
  const r = await nftApply(netns, egressMasqueradeRuleset(clusterCIDRs));
  if (r.code !== 0) throw new Error(`nft (table ip capstan-node): ${r.stderr.trim()}`);
}

/** Runs until `signal`; resolves once the informer and the sync loop have stopped. */
export async function startNodeRoutes(o: NodeRoutesOptions, signal: AbortSignal): Promise<void> {
  const clusterCIDRs = parseClusterCIDRs(o.clusterCIDR);
  egressMasqueradeRuleset(clusterCIDRs); // rejects a malformed CIDR before anything is touched
  const resyncMs = o.resyncPeriodMs ?? 30_000;
  const batchMs = o.batchDelayMs ?? 50;
  const informer = new Informer(o.client.resource(nodesRef), { transform: (n) => trimNode(n as Node), onError: (e) => o.log(`node informer: ${(e as Error).message}`) });
  let wake: (() => void) | undefined;
  let dirty = true;
  const kick = () => {
    dirty = true;
    wake?.();
  };
  informer.addEventHandler({
    onAdd: kick,
    onUpdate: (a, b) => { if (routingSignature(a as Node) !== routingSignature(b as Node)) kick(); },
    onDelete: kick,
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  const informerDone = informer.start(signal);
  let lastErrors = '';
  let lastFull = 0;
  let tableApplied = false;
  /** One pass; returns what failed (the next pass retries it). */
  const syncOnce = async (full: boolean): Promise<string[]> => {
    const errors: string[] = [];
    if (full || !tableApplied) {
      try {
        await applyEgressMasquerade(clusterCIDRs, o.netns);
        if (!tableApplied) o.log(`egress masquerade for ${clusterCIDRs.join(', ')} (nft table ip ${NODE_TABLE})`);
        tableApplied = true;
        lastFull = Date.now();
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    try {
      const desired = desiredRoutes(informer.store.list() as Node[], o.nodeName, clusterCIDRs);
      const changes = diffRoutes(desired, await installedRoutes(o.netns));
      await applyRouteChanges(changes, o.netns);
      for (const r of changes.replace) o.log(`route ${r.dst} via ${r.via} (node ${r.node})`);
      for (const dst of changes.remove) o.log(`route ${dst} removed`);
    } catch (e) {
      errors.push((e as Error).message);
    }
    return errors;
  };
  try {
    await enableIPv4Forwarding(o.netns).catch((e: unknown) => o.log(`cannot enable IPv4 forwarding: ${(e as Error).message}`));
    if (!(await informer.waitForSync(signal))) return;
    while (!signal.aborted) {
      const full = Date.now() - lastFull >= resyncMs;
      let retryMs = 0;
      if (dirty || full || !tableApplied) {
        dirty = false;
        const errors = await syncOnce(full);
        const text = errors.join('; ');
        if (text && text !== lastErrors) o.log(`node routes: ${text} (will retry)`);
        lastErrors = text;
        if (errors.length) {
          dirty = true;
          retryMs = 5000;
        }
      }
      const waitMs = retryMs || Math.max(0, resyncMs - (Date.now() - lastFull));
      await new Promise<void>((resolve) => {
        let batchTimer: NodeJS.Timeout | undefined;
        const done = () => {
          clearTimeout(timer);
          clearTimeout(batchTimer);
          if (wake === batch) wake = undefined;
          resolve();
        };
        const batch = () => { batchTimer ??= setTimeout(done, batchMs); };
        const timer = setTimeout(done, waitMs);
        wake = batch;
        if (signal.aborted || (dirty && !retryMs)) batch();
      });
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await informerDone.catch(() => undefined);
  }
}

/** Removes the routes of ROUTE_PROTOCOL and the `ip capstan-node` table (capstan killall). Idempotent. */
export async function cleanupNodeRoutes(o: { netns?: string } = {}): Promise<string[]> {
  const errors: string[] = [];
  try {
    const installed = await installedRoutes(o.netns);
    await applyRouteChanges({ replace: [], remove: installed.map((r) => r.dst) }, o.netns);
  } catch (e) {
    errors.push((e as Error).message);
  }
  const r = await nftApply(o.netns, deleteNodeTableRuleset());
  if (r.code !== 0 && r.code !== 127) errors.push(`nft delete table ip capstan-node: ${r.stderr.trim()}`);
  return errors;
}
