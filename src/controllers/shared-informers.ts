// One informer per resource for every controller of a term (client-go's SharedInformerFactory):
// controllers ask for an informer while they are created; the manager starts all of them once,
// after every controller registered its handlers. Every cache carries two indexes, `namespace`
// and `controllerUID` (the uid of the object's controller ownerReference), which is how the
// workload controllers find their pods and ReplicaSets without scanning everything.
import { getMaxListeners, setMaxListeners } from 'node:events';
import { Informer, namespaceIndex, type Client, type IndexFunc, type ResourceRef } from '../client/index.js';
import { controllerRefOf } from './owner-refs.js';

export const NAMESPACE_INDEX = 'namespace';
export const CONTROLLER_UID_INDEX = 'controllerUID';

const controllerUIDIndex: IndexFunc = (obj) => {
  const ref = controllerRefOf(obj);
  return ref?.uid ? [ref.uid] : [];
};

export class SharedInformers {
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(
    private readonly client: Client,
    private readonly opts: { onError?(err: unknown): void; backoff?: { initialMs?: number; maxMs?: number } } = {},
  ) {}

  /** The informer for `ref`, created on first request (before `start`). */
  informerFor(ref: ResourceRef): Informer {
    const key = `${ref.group}/${ref.plural}`;
    const existing = this.informers.get(key);
    if (existing) return existing;
    if (this.started) throw new Error(`informer for ${key} requested after start`);
    const informer = new Informer(this.client.resource(ref), {
      indexers: { [NAMESPACE_INDEX]: namespaceIndex, [CONTROLLER_UID_INDEX]: controllerUIDIndex },
      onError: this.opts.onError, backoff: this.opts.backoff,
    });
    this.informers.set(key, informer);
    return informer;
  }

  /** Starts every informer; resolves when all stopped (after `signal` aborts). Call once. */
  async start(signal: AbortSignal): Promise<void> {
    // Every informer (and its watch) listens on this one signal: a listener per informer is
    // expected, not a leak.
    setMaxListeners(Math.max(getMaxListeners(signal), 4 * this.informers.size + 10), signal);
    this.started = true;
    await Promise.all([...this.informers.values()].map((i) => i.start(signal)));
  }

  /** Resolves true once every informer listed, false if `signal` aborted first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    for (const i of this.informers.values()) if (!(await i.waitForSync(signal))) return false;
    return true;
  }
}
