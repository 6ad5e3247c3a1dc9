// One object version as held by the watch cache. The stored value is JSON without
// metadata.resourceVersion; the version is the key's modRevision. Parsing and the
// resourceVersion-bearing JSON are computed lazily and at most once, and shared by every list
// and watch that serves this version. Consumers must treat `obj` as immutable.
import type { KubeObject } from '../../api/index.js';

const META_OPEN = '"metadata":{';

export class CachedObject {
  private parsed?: KubeObject;
  private encoded?: string;

  constructor(
    readonly key: string,
    /** Stored JSON (no resourceVersion). */
    readonly value: string,
    /** The object's resourceVersion (the key's modRevision). */
    readonly revision: number,
  ) {}

  /** The object with metadata.resourceVersion set. Never mutate it. */
  get obj(): KubeObject {
    if (!this.parsed) {
      const o = JSON.parse(this.value) as KubeObject;
      o.metadata = { ...(o.metadata ?? {}), resourceVersion: String(this.revision) };
      this.parsed = o;
    }
    return this.parsed;
  }

  /** The object's JSON with metadata.resourceVersion, as served to clients. */
  get json(): string {
    if (this.encoded === undefined) this.encoded = injectResourceVersion(this.value, this.revision) ?? JSON.stringify(this.obj);
    return this.encoded;
  }
}

/**
 * Inserts `"resourceVersion":"N"` into stored JSON whose top-level keys start with apiVersion,
 * kind, metadata (the order the registry writes), without re-serialising. Returns undefined when
 * the value does not have that shape.
 */
export function injectResourceVersion(value: string, revision: number): string | undefined {
  const i = value.indexOf(META_OPEN);
  if (i < 0 || i > 200) return undefined;
  // Only trust the match when it is a top-level key: what precedes it must be apiVersion/kind.
  const head = value.slice(0, i);
  if (head.includes('{', 1)) return undefined;
  const at = i + META_OPEN.length;
  const sep = value[at] === '}' ? '' : ',';
  return `${value.slice(0, at)}"resourceVersion":"${revision}"${sep}${value.slice(at)}`;
}

/** Serialises an object for storage: apiVersion, kind, metadata first; no resourceVersion. */
export function encodeForStorage(obj: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _rv, ...meta } = metadata ?? {};
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}
