// The garbage collector's ownership graph (upstream garbagecollector/graph.go, reduced to what a
// cache-backed collector needs): which observed object carries which uid, and which objects name
// a uid in their ownerReferences. Objects live in the informer caches; the graph holds only keys,
// so it stays small and never disagrees with the caches about an object's contents.
//
// Item keys are `<group>/<plural>|<namespace>/<name>` (see itemKey). Written only from informer
// handlers (one at a time); read by the workers.

/** The key of one observed object: its resource and its cache key. */
export function itemKey(resourceId: string, objectKey: string): string {
  return `${resourceId}|${objectKey}`;
}

/** `itemKey` → { resourceId, objectKey }. */
export function splitItemKey(key: string): { resourceId: string; objectKey: string } {
  const i = key.indexOf('|');
  return { resourceId: key.slice(0, i), objectKey: key.slice(i + 1) };
}

interface Node {
  uid: string;
  owners: string[];
}

export class OwnershipGraph {
  private readonly nodes = new Map<string, Node>();
  private readonly byUID = new Map<string, string>();
  private readonly dependents = new Map<string, Set<string>>();

  /** Records (or replaces) what `key` is now: its uid and its owners' uids. */
  upsert(key: string, uid: string, ownerUIDs: readonly string[]): void {
    this.remove(key);
    const owners = [...new Set(ownerUIDs)];
    this.nodes.set(key, { uid, owners });
    if (uid) this.byUID.set(uid, key);
    for (const o of owners) {
      let set = this.dependents.get(o);
      if (!set) this.dependents.set(o, (set = new Set()));
      set.add(key);
    }
  }

  /** Forgets `key`; returns the owner uids it had (empty when unknown). */
  remove(key: string): string[] {
    const node = this.nodes.get(key);
    if (!node) return [];
    this.nodes.delete(key);
    if (this.byUID.get(node.uid) === key) this.byUID.delete(node.uid);
    for (const o of node.owners) {
      const set = this.dependents.get(o);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(o);
    }
    return node.owners;
  }

  /** The owner uids recorded for `key`. */
  ownersOf(key: string): readonly string[] {
    return this.nodes.get(key)?.owners ?? [];
  }

  /** Keys of the objects naming `ownerUID` in their ownerReferences. */
  dependentsOf(ownerUID: string): string[] {
    return [...(this.dependents.get(ownerUID) ?? [])];
  }

  hasDependents(ownerUID: string): boolean {
    return (this.dependents.get(ownerUID)?.size ?? 0) > 0;
  }

  /** The uid recorded for `key`, if any. */
  uidOf(key: string): string | undefined {
    return this.nodes.get(key)?.uid;
  }

  /** The key of the observed object with `uid`, if any. */
  keyOf(uid: string): string | undefined {
    return this.byUID.get(uid);
  }

  get size(): number { return this.nodes.size; }
}
