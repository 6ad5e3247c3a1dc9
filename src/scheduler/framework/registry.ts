// Name → factory registry (upstream runtime.Registry) and the Handle plugins receive. The
// framework instantiates each enabled plugin once per profile with its (defaulted) args.
import type { Pod } from '../../api/index.js';
import type { Framework } from './framework.js';
import type { Plugin } from './interfaces.js';
import type { PodInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';

/** Creates the Pod → node binding (the API call); injected by the scheduler's I/O edge. */
export type Binder = (pod: Pod, nodeName: string) => Promise<void>;

/**
 * Carries out a preemption decided in PostFilter: delete `victims` (running on `nodeName`) so that
 * `preemptor` fits there. Fire-and-forget: called inside the synchronous scheduling cycle, it must
 * not block; the scheduler loop performs the API calls and reports failures itself.
 */
export type Preempter = (preemptor: Pod, nodeName: string, victims: readonly Pod[]) => void;

/** Services plugins may use (upstream framework.Handle), all pure or injected. */
export interface Handle {
  /** The snapshot of the cycle in progress (upstream SnapshotSharedLister). */
  snapshot(): Snapshot;
  /** Milliseconds from the injected clock. */
  now(): number;
  /** The framework of this profile (for plugins that run other extension points, e.g. preemption). */
  framework(): Framework;
  /** Binds a pod; absent in pure tests. */
  readonly binder?: Binder;
  /** Evicts preemption victims; absent in pure tests (the decision is still returned). */
  readonly preempt?: Preempter;
  /** Pods nominated to a node by preemption, highest priority first (upstream PodNominator). */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
  /** False when no pod is nominated anywhere (lets Filter skip the per-node lookup); absent: unknown. */
  hasNominatedPods?(): boolean;
}

/** Builds a plugin from its args (already defaulted; `undefined` for plugins without args). */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

export class Registry {
  private readonly factories = new Map<string, PluginFactory>();

  constructor(entries: Readonly<Record<string, PluginFactory>> = {}) {
    for (const [name, f] of Object.entries(entries)) this.register(name, f);
  }

  /** Adds a factory; throws if the name is taken (upstream Registry.Register). */
  register(name: string, factory: PluginFactory): void {
    if (this.factories.has(name)) throw new Error(`a plugin named ${name} already exists`);
    this.factories.set(name, factory);
  }

  /** Adds all of `other`'s factories; throws on a duplicate name (upstream Registry.Merge). */
  merge(other: Registry): void {
    for (const [name, f] of other.factories) this.register(name, f);
  }

  get(name: string): PluginFactory | undefined {
    return this.factories.get(name);
  }

  /**
   * A copy whose factories for the named plugins receive `extra` merged over their args — how the
   * scheduler hands plugins what a configuration file cannot hold (e.g. lookups over informers).
   */
  withInjectedArgs(extra: Readonly<Record<string, Record<string, unknown>>>): Registry {
    const copy = new Registry();
    for (const [name, f] of this.factories) {
      const add = extra[name];
      copy.register(name, add ? (args, handle) => f({ ...((args as Record<string, unknown> | undefined) ?? {}), ...add }, handle) : f);
    }
    return copy;
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }
}
