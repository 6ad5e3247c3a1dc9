// Upstream ControllerExpectations (pkg/controller/controller_utils.go): what a controller is still
// waiting to see in its informer after its own writes. A controller that created N pods must not
// create more until the N pod additions were observed (or the expectation expired), otherwise it
// would count too few pods and over-create. Deletions are tracked by pod key so that a pod seen
// terminating and later deleted counts once.
//
// Keyed by the controller object's `namespace/name`. Called from informer handlers (observations)
// and workers (expectations); all on one thread, so no locking.
import type { Clock } from '../client/index.js';

/** Upstream ExpectationsTimeout: an expectation never met is ignored after 5 minutes. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  deletes: Set<string>;
  at: number;
}

export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when `key` may sync: nothing pending, or what is pending expired. */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** Expects `adds` creations (replacing any earlier expectation). */
  expectCreations(key: string, adds: number): void {
    this.items.set(key, { adds, deletes: new Set(), at: this.clock.now() });
  }

  /** Expects the deletion of these pods (keys `namespace/name`). */
  expectDeletions(key: string, podKeys: string[]): void {
    this.items.set(key, { adds: 0, deletes: new Set(podKeys), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.items.get(key)?.deletes.delete(podKey);
  }

  /** Forgets `key` (its controller object was deleted). */
  delete(key: string): void {
    this.items.delete(key);
  }
}
