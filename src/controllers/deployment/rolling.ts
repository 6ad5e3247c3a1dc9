// Rollout arithmetic (upstream deployment/util and rolling.go): pure functions of replica counts.
// The controller reads the counts from its caches, asks these functions what to scale, and
// performs the scaling; nothing here touches the API.

/** What a ReplicaSet contributes to the arithmetic. */
export interface RSCounts {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** creationTimestamp in ms (ties broken by name). */
  created: number;
}

/**
 * Upstream GetScaledValueFromIntOrPercent: an integer as is, or `N%` of `total` rounded up
 * (`roundUp`) or down.
 */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const value = v ?? fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new Error(`invalid value for IntOrString: invalid value "${value}"`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export interface RollingParams {
  maxSurge?: number | string;
  maxUnavailable?: number | string;
}

/**
 * Upstream ResolveFenceposts: maxSurge rounds up, maxUnavailable down (defaults 25% each); both
 * zero would deadlock a rollout, so maxUnavailable becomes 1.
 */
export function resolveFenceposts(p: RollingParams, replicas: number): { surge: number; unavailable: number } {
  const surge = scaledValue(p.maxSurge, replicas, true, '25%');
  let unavailable = scaledValue(p.maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Upstream MaxUnavailable: at most `replicas`; 0 for Recreate or zero replicas. */
export function maxUnavailable(p: RollingParams | undefined, replicas: number): number {
  if (!p || replicas === 0) return 0;
  return Math.min(resolveFenceposts(p, replicas).unavailable, replicas);
}

/** Upstream MaxSurge: 0 for Recreate. */
export function maxSurge(p: RollingParams | undefined, replicas: number): number {
  return p ? resolveFenceposts(p, replicas).surge : 0;
}

const sum = (rss: readonly RSCounts[], f: (r: RSCounts) => number) => rss.reduce((n, r) => n + f(r), 0);

/**
 * Upstream NewRSNewReplicas: the size the new ReplicaSet may grow to now. RollingUpdate grows it
 * while all ReplicaSets together stay within replicas + maxSurge; Recreate (`p` undefined) makes
 * it `replicas` at once.
 */
export function newRSNewReplicas(p: RollingParams | undefined, replicas: number, all: readonly RSCounts[], newRS: RSCounts): number {
  if (!p) return replicas;
  const surge = maxSurge(p, replicas);
  const current = sum(all, (r) => r.replicas);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return newRS.replicas;
  const up = Math.min(maxTotal - current, Math.max(0, replicas - newRS.replicas));
  return newRS.replicas + up;
}

const byCreation = (a: RSCounts, b: RSCounts) => a.created - b.created || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Upstream reconcileOldReplicaSets for RollingUpdate: the new sizes of old ReplicaSets (by name;
 * only those that change). First unhealthy old replicas go (cleanupUnhealthyReplicas, bounded by
 * what availability allows), then healthy ones while at least replicas - maxUnavailable pods stay
 * available (scaleDownOldReplicaSetsForRollingUpdate). Oldest ReplicaSets shrink first.
 */
export function planOldScaleDown(p: RollingParams, replicas: number, oldRSs: readonly RSCounts[], newRS: RSCounts): Map<string, number> {
  const out = new Map<string, number>();
  const olds = oldRSs.map((r) => ({ ...r })).sort(byCreation);
  const oldCount = sum(olds, (r) => r.replicas);
  if (oldCount === 0) return out;
  const allCount = oldCount + newRS.replicas;
  const minAvailable = replicas - maxUnavailable(p, replicas);
  const newUnavailable = newRS.replicas - newRS.available;
  const maxScaledDown = allCount - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  // cleanupUnhealthyReplicas
  let cleaned = 0;
  for (const rs of olds) {
    if (cleaned >= maxScaledDown) break;
    if (rs.replicas === 0 || rs.replicas === rs.available) continue;
    const down = Math.min(maxScaledDown - cleaned, rs.replicas - rs.available);
    rs.replicas -= down;
    cleaned += down;
    out.set(rs.name, rs.replicas);
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const available = sum(olds, (r) => r.available) + newRS.available;
  if (available <= minAvailable) return out;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of olds) {
    if (scaled >= total) break;
    if (rs.replicas === 0) continue;
    const down = Math.min(rs.replicas, total - scaled);
    rs.replicas -= down;
    scaled += down;
    out.set(rs.name, rs.replicas);
  }
  return out;
}

/**
 * Upstream proportional scaling (DeploymentController.scale with several active ReplicaSets):
 * when a Deployment is resized mid-rollout, the difference is shared among the active ReplicaSets
 * in proportion to their size, relative to the max-replicas annotation each was scaled under
 * (`annotatedMax`, or the Deployment's status.replicas when absent). Returns every active set's
 * new size, by name.
 */
export function proportionalSizes(
  p: RollingParams, replicas: number, active: readonly (RSCounts & { annotatedMax?: number })[], statusReplicas: number,
): Map<string, number> {
  const allowed = replicas > 0 ? replicas + maxSurge(p, replicas) : 0;
  const toAdd = allowed - sum(active, (r) => r.replicas);
  // Growing: larger (then newer) first; shrinking: larger (then older) first.
  const sorted = [...active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.created - a.created : a.created - b.created) || (a.name < b.name ? -1 : 1));
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of sorted) {
    let proportion = 0;
    if (toAdd !== 0 && rs.replicas !== 0 && toAdd !== added) {
      let fraction: number;
      if (replicas === 0) fraction = -rs.replicas;
      else {
        const annotated = rs.annotatedMax ?? statusReplicas;
        fraction = annotated > 0 ? Math.round((rs.replicas * allowed) / annotated) - rs.replicas : 0;
      }
      const rest = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, rest) : Math.max(fraction, rest);
    }
    sizes.set(rs.name, rs.replicas + proportion);
    added += proportion;
  }
  if (toAdd !== 0 && sorted.length) {
    const first = sorted[0]!.name;
    sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  }
  return sizes;
}
