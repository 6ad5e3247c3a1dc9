// Per-scheduling-cycle scratch space (upstream framework.CycleState). A PreFilter/PreScore plugin
// writes its pre-computation under its own key; its Filter/Score reads it for every node. The
// preemption plugin clones the state to run what-if filters (AddPod/RemovePod), so data stored here
// must implement `clone()` when it is mutated by those extensions.

/** Data a plugin keeps in the cycle state. `clone` must deep-copy anything AddPod/RemovePod mutate. */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter returned Skip: the framework does not call their Filter. */
  skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: the framework does not call their Score. */
  skipScorePlugins = new Set<string>();
  /** Whether this cycle records per-plugin metrics (kept for parity; unused by the core). */
  recordPluginMetrics = false;

  /** Bumped by every write and delete (lets stateReader know its remembered value is current). */
  version = 0;

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
    this.version++;
  }

  delete(key: string): void {
    this.data.delete(key);
    this.version++;
  }

  /** A deep copy for what-if evaluation (each entry's own clone()). */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.data) copy.data.set(k, v.clone());
    copy.skipFilterPlugins = new Set(this.skipFilterPlugins);
    copy.skipScorePlugins = new Set(this.skipScorePlugins);
    copy.recordPluginMetrics = this.recordPluginMetrics;
    return copy;
  }
}

/**
 * `state.read(key)` for a plugin's per-node calls (Filter, Score): remembers the value read from
 * the last CycleState object and hands it out again while that state is unchanged, instead of a
 * Map lookup for each of the ~500 nodes of a cycle. One reader per plugin instance.
 */
export function stateReader<T extends StateData>(key: string): (state: CycleState) => T | undefined {
  let lastState: CycleState | undefined;
  let lastVersion = -1;
  let lastValue: T | undefined;
  return (state) => {
    if (state !== lastState || state.version !== lastVersion) {
      lastValue = state.read<T>(key);
      lastState = state;
      lastVersion = state.version;
    }
    return lastValue;
  };
}
