// Store leases for objects with a time-to-live (events). Like upstream's lease manager, one
// lease is reused for every object created within a minute, its TTL stretched by that minute,
// so a storm of events costs a handful of leases.
import type { Store } from '../../store/index.js';
import type { LeaseManager } from './context.js';

const REUSE_WINDOW_MS = 60_000;

export function createLeaseManager(store: Store, now: () => number = Date.now): LeaseManager {
  const current = new Map<number, { id: Promise<number>; grantedAt: number }>();
  return {
    leaseFor(ttlSeconds: number): Promise<number> {
      const t = now();
      const c = current.get(ttlSeconds);
      if (c && t - c.grantedAt < REUSE_WINDOW_MS) return c.id;
      const id = store.grantLease(ttlSeconds + REUSE_WINDOW_MS / 1000);
      current.set(ttlSeconds, { id, grantedAt: t });
      id.catch(() => current.delete(ttlSeconds));
      return id;
    },
  };
}
