// Strategic-merge-patch metadata read from a resource's TypeBox schema: which schema describes a
// field or a list element, and the field's x-kubernetes-patch-strategy / -merge-key. This plays
// the part of upstream's LookupPatchMetadata over Go struct tags. A missing schema (unknown field,
// opaque subtree, int-or-string) yields "no metadata": the engine then merges maps, replaces lists.
import type { TSchema } from '../../api/index.js';
import { patchErrors } from './errors.js';

type SchemaNode = Record<string, unknown>;

export interface PatchStrategy {
  /** 'merge' (lists merge by key / as sets), 'replace' (value replaced whole) or '' (default). */
  strategy: '' | 'merge' | 'replace';
  /** True when the field's strategy includes retainKeys (informational: `$retainKeys` drives it). */
  retainKeys: boolean;
  /** x-kubernetes-patch-merge-key; empty for lists of scalars or lists that do not merge. */
  mergeKey: string;
}

const NONE: PatchStrategy = { strategy: '', retainKeys: false, mergeKey: '' };

function node(schema: TSchema | undefined): SchemaNode | undefined {
  return schema && typeof schema === 'object' ? (schema as unknown as SchemaNode) : undefined;
}

/**
 * The schema that describes values of `schema`, looking through unions: int-or-string and other
 * scalar unions have no structure (undefined); a union with exactly one object or array member
 * resolves to that member.
 */
function structural(schema: TSchema | undefined): SchemaNode | undefined {
  const n = node(schema);
  if (!n) return undefined;
  const members = (n.anyOf ?? n.oneOf) as TSchema[] | undefined;
  if (!Array.isArray(members)) return n;
  if (n['x-kubernetes-int-or-string']) return undefined;
  const shaped = members.map(node).filter((m): m is SchemaNode => !!m && (m.type === 'object' || m.type === 'array'));
  return shaped.length === 1 ? structural(shaped[0] as unknown as TSchema) : undefined;
}

const patternCache = new Map<string, RegExp>();

function matches(pattern: string, key: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patternCache.set(pattern, re);
  }
  return re.test(key);
}

/** Schema of field `key` of an object (a property, or the value schema of a map). */
export function fieldSchema(parent: TSchema | undefined, key: string): TSchema | undefined {
  const n = structural(parent);
  if (!n) return undefined;
  const props = n.properties as Record<string, TSchema> | undefined;
  if (props && Object.hasOwn(props, key)) return props[key];
  const patterns = n.patternProperties as Record<string, TSchema> | undefined;
  if (patterns) {
    for (const [pattern, value] of Object.entries(patterns)) {
      if (matches(pattern, key)) return value;
    }
  }
  const additional = n.additionalProperties;
  return additional && typeof additional === 'object' ? (additional as TSchema) : undefined;
}

/** Schema of the elements of a list. */
export function itemSchema(list: TSchema | undefined): TSchema | undefined {
  const n = structural(list);
  const items = n?.items;
  return items && typeof items === 'object' && !Array.isArray(items) ? (items as TSchema) : undefined;
}

/**
 * Patch strategy of a field, from its schema. Accepts upstream's values: 'merge', 'replace',
 * 'retainKeys', 'merge,retainKeys' (either order). Anything else is upstream's
 * "unexpected patch strategy" error.
 */
export function patchStrategyOf(schema: TSchema | undefined): PatchStrategy {
  const n = node(schema);
  if (!n) return NONE;
  const raw = n['x-kubernetes-patch-strategy'];
  const mergeKey = typeof n['x-kubernetes-patch-merge-key'] === 'string' ? n['x-kubernetes-patch-merge-key'] as string : '';
  if (typeof raw !== 'string' || raw === '') return { ...NONE, mergeKey };
  const parts = raw.split(',').map((s) => s.trim());
  const retainKeys = parts.includes('retainKeys');
  const others = parts.filter((p) => p !== 'retainKeys');
  const unexpected = () => patchErrors.unexpected(`unexpected patch strategy: [${parts.join(' ')}]`);
  if (parts.length > 2 || others.length > 1 || (parts.length === 2 && !retainKeys)) throw unexpected();
  const strategy = others[0] ?? '';
  if (strategy !== '' && strategy !== 'merge' && strategy !== 'replace') return { strategy: '', retainKeys, mergeKey };
  return { strategy, retainKeys, mergeKey };
}
