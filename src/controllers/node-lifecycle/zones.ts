// Rate-limited tainting by zone (upstream nodelifecycle zone states and zoneNoExecuteTainter):
// nodes are grouped by topology.kubernetes.io/region + zone; a zone's share of not-ready nodes
// sets how fast new NoExecute taints may be added there, so a network partition that makes many
// nodes look dead does not evict everything at once. Removing taints is never rate-limited.
// Simplification: one token bucket per zone (burst 1, as upstream) re-created on a state change;
// upstream's per-node retry queue is replaced by the controller's next monitor pass.
import type { Node } from '../../api/index.js';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Upstream defaults: --node-eviction-rate, --secondary-node-eviction-rate, --large-cluster-size-threshold, --unhealthy-zone-threshold. */
export const NODE_EVICTION_RATE = 0.1;
export const SECONDARY_NODE_EVICTION_RATE = 0.01;
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;

/** The node's zone key (upstream GetZoneKey: region and zone labels; '' when neither is set). */
export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\x00:${zone}` : '';
}

/** Upstream ComputeZoneState from the count of Ready and not-Ready nodes in a zone. */
export function computeZoneState(ready: number, notReady: number): ZoneState {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (ready + notReady) >= UNHEALTHY_ZONE_THRESHOLD) return 'PartialDisruption';
  return 'Normal';
}

/**
 * Taints per second allowed in a zone (upstream setLimiterInZone and handleDisruption): normal
 * rate in a healthy or fully disrupted zone, the secondary rate in a partially disrupted large
 * zone, none in a partially disrupted small one — and none anywhere once every zone is fully
 * disrupted (the control plane, not the nodes, is then the likely culprit).
 */
export function taintRate(state: ZoneState, zoneSize: number, allZonesFullyDisrupted: boolean): number {
  if (allZonesFullyDisrupted) return 0;
  if (state === 'PartialDisruption') return zoneSize > LARGE_CLUSTER_SIZE_THRESHOLD ? SECONDARY_NODE_EVICTION_RATE : 0;
  return NODE_EVICTION_RATE;
}

/** A token bucket of burst 1 on a caller-supplied clock (upstream flowcontrol.NewTokenBucketRateLimiter). */
export class TokenBucket {
  private tokens = 1;
  private last: number;

  constructor(readonly qps: number, now: number) {
    this.last = now;
  }

  /** Takes a token if one is available at `now`. */
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens -= 1;
    return true;
  }
}
