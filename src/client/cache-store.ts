// The informer's in-memory cache: objects keyed `namespace/name` (or `name` when cluster-scoped),
// with optional secondary indexes. Written only by its informer; everyone else reads. Objects are
// shared between readers: treat them as immutable (copy before changing).
import type { KubeObject } from '../api/index.js';

/** Maps an object to the index values it is filed under (e.g. `[spec.nodeName]`). */
export type IndexFunc = (obj: KubeObject) => string[];

/** The key client-go's MetaNamespaceKeyFunc gives: `ns/name`, or `name` without a namespace. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** `ns/name` → { namespace, name } (namespace '' for cluster-scoped keys). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** Read access for informer consumers (listers). */
export interface Indexer {
  get(key: string): KubeObject | undefined;
  getByName(namespace: string, name: string): KubeObject | undefined;
  list(): KubeObject[];
  listKeys(): string[];
  /** Objects filed under `value` in index `indexName` (throws for an unknown index). */
  byIndex(indexName: string, value: string): KubeObject[];
  readonly size: number;
}

/** Standard index: objects by namespace. */
export const namespaceIndex: IndexFunc = (obj) => [obj.metadata?.namespace ?? ''];

export class CacheStore implements Indexer {
  private readonly items = new Map<string, KubeObject>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly indexers: Record<string, IndexFunc> = {}) {
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
  }

  get size(): number { return this.items.size; }

  get(key: string): KubeObject | undefined { return this.items.get(key); }

  getByName(namespace: string, name: string): KubeObject | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): KubeObject[] { return [...this.items.values()]; }

  listKeys(): string[] { return [...this.items.keys()]; }

  byIndex(indexName: string, value: string): KubeObject[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k)!);
  }

  /** Adds or replaces; returns the previous object under the same key. */
  put(obj: KubeObject): KubeObject | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by key; returns what was there. */
  remove(key: string): KubeObject | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private index(key: string, obj: KubeObject): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        let set = index.get(v);
        if (!set) index.set(v, (set = new Set()));
        set.add(key);
      }
    }
  }

  private unindex(key: string, obj: KubeObject): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = index.get(v);
        set?.delete(key);
        if (set && set.size === 0) index.delete(v);
      }
    }
  }
}
