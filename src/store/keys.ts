// Key-range helpers shared by the backends. Keys are compared as JavaScript strings (UTF-16 code
// units); for the ASCII keys the API server writes this equals SQLite's BINARY collation.

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined when the
 * range is unbounded (empty prefix). Callers use [prefix, prefixEnd(prefix)) as a half-open range.
 */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}

/** The first key a range read looks at: the prefix, or the continuation key when it sorts later. */
export function rangeStart(prefix: string, startKey: string | undefined): string {
  return startKey !== undefined && startKey > prefix ? startKey : prefix;
}
