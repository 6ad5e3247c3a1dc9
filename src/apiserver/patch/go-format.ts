// Renders JSON values the way Go's fmt prints decoded JSON (`%v`, reflect type names), so that
// patch error messages read exactly like upstream's strategicpatch / mergepatch messages.
// Pure; used only to build error messages.

/** Go's `%v` of a value decoded from JSON: `map[a:1 b:[x y]]`, `<nil>`, `80`. Map keys sorted. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `map[${keys.map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** Go's `reflect.TypeOf(x)` for a value decoded from JSON into `interface{}`. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'object': return 'map[string]interface {}';
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(v) ? 'int64' : 'float64';
    default: return typeof v;
  }
}

/** The JSON kind name Go's decoder uses in "cannot unmarshal X into ..." messages. */
export function jsonKindName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'object': return 'object';
    case 'boolean': return 'bool';
    default: return typeof v;
  }
}
