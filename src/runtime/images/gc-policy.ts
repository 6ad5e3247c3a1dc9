// The kubelet's image garbage collection policy (pkg/kubelet/images/image_gc_manager.go): when
// the image filesystem's usage reaches highThresholdPercent, free enough bytes to bring it down
// to lowThresholdPercent by deleting unused images, least recently used first (ties: first
// detected first), skipping images younger than minAge. Pure: the store supplies the snapshot
// and performs the deletions.

export interface GCPolicy {
  /** Default 85. */
  highThresholdPercent: number;
  /** Default 80. */
  lowThresholdPercent: number;
  /** Images detected more recently than this are kept (upstream ImageMinimumGCAge, 2 minutes). */
  minAgeMs: number;
}

export const DEFAULT_GC_POLICY: GCPolicy = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 2 * 60_000 };

export interface GCImage {
  id: string;
  size: number;
  /** When a container last used it (or when it was pulled), ms. */
  lastUsed: number;
  /** When the store first had it, ms. */
  firstDetected: number;
  inUse: boolean;
}

export interface GCPlan {
  /** Bytes to free to reach the low threshold (0 when under the high one). */
  amountToFree: number;
  /** Images to delete, in order. */
  delete: string[];
  /** Sum of the sizes of `delete`; less than amountToFree when not enough could be freed. */
  freed: number;
}

/** Validates as the kubelet does at start-up; throws on a policy it would refuse. */
export function validatePolicy(p: GCPolicy): void {
  if (p.highThresholdPercent < 0 || p.highThresholdPercent > 100) throw new Error(`invalid HighThresholdPercent ${p.highThresholdPercent}, must be in range [0-100]`);
  if (p.lowThresholdPercent < 0 || p.lowThresholdPercent > 100) throw new Error(`invalid LowThresholdPercent ${p.lowThresholdPercent}, must be in range [0-100]`);
  if (p.lowThresholdPercent > p.highThresholdPercent) throw new Error(`LowThresholdPercent ${p.lowThresholdPercent} can not be higher than HighThresholdPercent ${p.highThresholdPercent}`);
}

export function planImageGC(fs: { capacityBytes: number; availableBytes: number }, images: GCImage[], policy: GCPolicy, now: number): GCPlan {
  validatePolicy(policy);
  const { capacityBytes: capacity, availableBytes: available } = fs;
  if (capacity <= 0) return { amountToFree: 0, delete: [], freed: 0 };
  const usagePercent = 100 - Math.trunc((available * 100) / capacity);
  if (usagePercent < policy.highThresholdPercent) return { amountToFree: 0, delete: [], freed: 0 };
  const amountToFree = Math.trunc((capacity * (100 - policy.lowThresholdPercent)) / 100) - available;
  if (amountToFree <= 0) return { amountToFree: 0, delete: [], freed: 0 };
  const candidates = images
    .filter((i) => !i.inUse && now - i.firstDetected >= policy.minAgeMs)
    .sort((a, b) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected || (a.id < b.id ? -1 : 1));
  const out: string[] = [];
  let freed = 0;
  for (const img of candidates) {
    if (freed >= amountToFree) break;
    out.push(img.id);
    freed += img.size;
  }
  return { amountToFree, delete: out, freed };
}
