// Which body each named definition gets, and what each place of use adds to it.
//
// Resource schemas annotate one *use* of a shared definition with `withMeta(Def, {...})`: a field
// description, a default, a patch strategy. `withMeta` copies the node, so the document sees the
// same definition name with several bodies. Upstream's OpenAPI keeps the type's declaration as the
// definition and puts the field's annotations beside the reference; this index decides which is
// which.
//
// Contract (used by SchemaConverter):
// - `collect` is called for every root before any `canonical`/`annotations` query.
// - The canonical body of a name is, in order of preference: a body passed to `declare` with
//   `authoritative` (the document's own roots and meta types; first wins), a body passed to
//   `declare` (the api's exported declarations; first wins), else the occurrence with the fewest
//   use-site keys (the un-annotated variant; see leastAnnotated), minus every use-site key the
//   occurrences disagree on while some of them do not set it.
//   Member-only keys (patch strategy/merge key, list type/map keys) never stay in a definition:
//   upstream puts them on struct fields, never on a named type.
// - `annotations(node)` is the use-site keys of `node` whose value differs from the canonical body.
// - Pure: input schemas are never mutated.
import { DEF_NAME } from '../../api/index.js';

type Raw = Record<string, unknown>;

/** Keys a place of use may set on a named definition (they describe the field, not the type). */
export const USE_SITE_KEYS = [
  'default', 'description', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type',
  'x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy',
] as const;

/** Keys upstream sets only on struct members, never on a named type. */
const MEMBER_ONLY_KEYS = new Set([
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy',
]);

/** Schema keywords whose values are sub-schemas (the walk follows only these). */
const SUBSCHEMA_KEYS = ['properties', 'patternProperties', 'additionalProperties', 'items', 'anyOf', 'oneOf', 'allOf', 'not'];

/** The definition name a schema node carries, if any. */
export function definitionNameOf(node: unknown): string | undefined {
  const name = node !== null && typeof node === 'object' ? (node as Raw)[DEF_NAME] : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** A use-site value as compared: '' and undefined mean "not set". */
function keyOf(value: unknown): string | undefined {
  return value === undefined || value === '' ? undefined : JSON.stringify(value);
}

export class DefinitionIndex {
  private readonly authoritative = new Map<string, Raw>();
  private readonly declared = new Map<string, Raw>();
  private readonly occurrences = new Map<string, Raw[]>();
  private readonly visited = new Set<object>();
  /** How many places refer to each named node (by identity). */
  private readonly uses = new Map<object, number>();
  private readonly canonicalCache = new Map<string, Raw>();

  /**
   * Registers `schema` (which must carry a definition name) as the declared body of its name.
   * `authoritative` bodies win over plain declarations; within each tier the first wins.
   */
  declare(schema: unknown, authoritative = false): void {
    const name = definitionNameOf(schema);
    if (name === undefined) throw new Error('declare: schema has no definition name');
    const tier = authoritative ? this.authoritative : this.declared;
    if (!tier.has(name)) tier.set(name, schema as Raw);
  }

  /** The declared body of `name`, if any (authoritative first). */
  declaration(name: string): Raw | undefined {
    return this.authoritative.get(name) ?? this.declared.get(name);
  }

  /**
   * Records every named node reachable from `root`, in document order. A declared name is followed
   * through its declaration only: the children of a differing variant are not part of the document.
   */
  collect(node: unknown): void {
    if (node === null || typeof node !== 'object') return;
    if (definitionNameOf(node) !== undefined) this.uses.set(node, (this.uses.get(node) ?? 0) + 1);
    if (this.visited.has(node)) return;
    this.visited.add(node);
    if (Array.isArray(node)) {
      for (const item of node) this.collect(item);
      return;
    }
    const raw = node as Raw;
    const name = definitionNameOf(raw);
    if (name !== undefined) {
      const list = this.occurrences.get(name) ?? [];
      list.push(raw);
      this.occurrences.set(name, list);
      const declared = this.declaration(name);
      if (declared && declared !== raw) {
        this.collect(declared);
        return;
      }
    }
    for (const key of SUBSCHEMA_KEYS) {
      const value = raw[key];
      if (value === null || typeof value !== 'object') continue;
      if (key === 'properties' || key === 'patternProperties') for (const child of Object.values(value as Raw)) this.collect(child);
      else this.collect(value);
    }
  }

  /** The body the definition `name` is built from (see the file contract). */
  canonical(name: string): Raw {
    const cached = this.canonicalCache.get(name);
    if (cached) return cached;
    const seen = this.occurrences.get(name) ?? [];
    const base = this.declaration(name) ?? this.leastAnnotated(seen);
    if (!base) throw new Error(`canonical: definition ${name} was never collected`);
    const out: Raw = { ...base };
    const declared = this.declaration(name) !== undefined;
    for (const key of USE_SITE_KEYS) {
      if (MEMBER_ONLY_KEYS.has(key)) delete out[key];
      else if (declared || new Set(seen.map((s) => keyOf(s[key]))).size <= 1) continue;
      else if (seen.some((s) => keyOf(s[key]) === undefined)) delete out[key];
    }
    this.canonicalCache.set(name, out);
    return out;
  }

  /**
   * The occurrence that looks most like the declaration: fewest use-site keys set (a `withMeta`
   * copy only adds), then used from the most places (a declaration is shared by identity, each
   * copy is used once), then the first seen.
   */
  private leastAnnotated(seen: Raw[]): Raw | undefined {
    const annotated = (s: Raw) => USE_SITE_KEYS.filter((key) => keyOf(s[key]) !== undefined).length;
    return [...seen].sort((a, b) => annotated(a) - annotated(b) || (this.uses.get(b) ?? 0) - (this.uses.get(a) ?? 0))[0];
  }

  /**
   * Use-site keys of the named `node` that its definition does not already say. `definition` is the
   * body it is compared with when that is not the canonical one (upstream's fixed scalar bodies).
   */
  annotations(node: Raw, definition?: Raw): Raw {
    const name = definitionNameOf(node);
    if (name === undefined) return {};
    const canonical = definition ?? this.canonical(name);
    const out: Raw = {};
    for (const key of USE_SITE_KEYS) {
      const value = keyOf(node[key]);
      if (value !== undefined && value !== keyOf(canonical[key])) out[key] = structuredClone(node[key]);
    }
    return out;
  }
}
