// Small helpers over decoded JSON values shared by the patch engines.

export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Sets an own property, even for keys such as `__proto__` that plain assignment would turn into a
 * prototype change. Every write of a patch-supplied key goes through here.
 */
export function setKey(o: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Drops `null`-valued keys from objects, recursively (through arrays too), as evanphx/json-patch
 * does for values a merge patch adds. Array elements that are null are kept. Mutates and returns `v`.
 */
export function withoutNulls<T>(v: T): T {
  if (Array.isArray(v)) {
    for (const e of v) withoutNulls(e);
  } else if (isObject(v)) {
    for (const [k, e] of Object.entries(v)) {
      if (e === null) delete v[k];
      else withoutNulls(e);
    }
  }
  return v;
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((e, i) => jsonEqual(e, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
