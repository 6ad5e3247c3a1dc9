// Store leases for objects with a time-to-live (events). Like upstream's lease manager, one
// lease is reused for every object created within a reuse window (5% of the TTL, at most a
// minute), its TTL stretched by that window, so a storm of events costs a handful of leases and
// no object outlives its TTL by more than the window.
import type { Store } from '../../store/index.js';
import type { LeaseManager } from './context.js';

const MAX_REUSE_WINDOW_MS = 60_000;
const REUSE_FRACTION = 0.05;

export function createLeaseManager(store: Store, now: () => number = Date.now): LeaseManager {
  const current = new Map<number, { id: Promise<number>; grantedAt: number; windowMs: number }>();
  return {
    leaseFor(ttlSeconds: number): Promise<number> {
      const t = now();
      const c = current.get(ttlSeconds);
      if (c && t - c.grantedAt < c.windowMs) return c.id;
      const windowMs = Math.min(MAX_REUSE_WINDOW_MS, ttlSeconds * 1000 * REUSE_FRACTION);
      const id = store.grantLease(Math.ceil(ttlSeconds + windowMs / 1000));
      current.set(ttlSeconds, { id, grantedAt: t, windowMs });
      id.catch(() => current.delete(ttlSeconds));
      return id;
    },
  };
}
