// Which EndpointSlice writes of this controller the informer cache has not shown yet (upstream
// EndpointSliceTracker): a sync that acted on a stale cache would create duplicate slices, so the
// controller waits until the cache holds every slice at least at the resourceVersion its own
// writes returned, and none it deleted. An expectation not met within `staleAfterMs` is dropped
// (someone else changed or deleted the slice), so a service can never wedge.
import type { EndpointSlice } from '../../api/index.js';
import type { Clock } from '../../client/index.js';

interface Expectation {
  /** Minimum resourceVersion, or 'deleted'. */
  rv: bigint | 'deleted';
  at: number;
}

export class SliceTracker {
  private readonly bySvc = new Map<string, Map<string, Expectation>>();

  constructor(private readonly clock: Clock, private readonly staleAfterMs = 30_000) {}

  /** Records a slice written (create/update) or deleted by this controller. */
  expect(svcKey: string, slice: EndpointSlice, deleted = false): void {
    let m = this.bySvc.get(svcKey);
    if (!m) this.bySvc.set(svcKey, (m = new Map()));
    m.set(slice.metadata?.name ?? '', { rv: deleted ? 'deleted' : toBig(slice.metadata?.resourceVersion), at: this.clock.now() });
  }

  /** Whether `cached` (the service's slices in the cache) reflects every write; drops met expectations. */
  caughtUp(svcKey: string, cached: readonly EndpointSlice[]): boolean {
    const m = this.bySvc.get(svcKey);
    if (!m) return true;
    const now = this.clock.now();
    const byName = new Map(cached.map((s) => [s.metadata?.name ?? '', s]));
    for (const [name, exp] of m) {
      const s = byName.get(name);
      const met = exp.rv === 'deleted' ? !s : !!s && toBig(s.metadata?.resourceVersion) >= exp.rv;
      if (met || now - exp.at > this.staleAfterMs) m.delete(name);
    }
    if (m.size === 0) this.bySvc.delete(svcKey);
    return m.size === 0;
  }

  /** The informer saw a slice go away: nothing more to wait for on it. */
  observedDeletion(svcKey: string, name: string): void {
    this.bySvc.get(svcKey)?.delete(name);
  }

  forget(svcKey: string): void {
    this.bySvc.delete(svcKey);
  }
}

function toBig(rv: string | undefined): bigint {
  try {
    return BigInt(rv ?? '0');
  } catch {
    return 0n;
  }
}
