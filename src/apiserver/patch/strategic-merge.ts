// application/strategic-merge-patch+json: upstream's StrategicMergeMapPatch
// (k8s.io/apimachinery/pkg/util/strategicpatch, server side: parallel lists merged, unmatched
// nulls ignored), driven by the resource's TypeBox schema instead of Go struct tags.
//
// Deliberate differences from upstream, all where upstream relies on decoding into Go structs to
// clean up after it: values taken from the patch never keep directive keys or nulls (upstream
// copies them raw and lets the typed decoder drop them); `$deleteFromPrimitiveList` never adds
// values to a list the live object lacks, and applies to any list of scalars.
import type { TSchema } from '../../api/index.js';
import { patchErrors, smpErrors } from './errors.js';
import { goValue, jsonKindName } from './go-format.js';
import { isObject, setKey, type JsonObject } from './json.js';
import { fieldSchema, itemSchema, patchStrategyOf } from './patch-meta.js';
import {
  DIRECTIVE, badArgType, checkPatchMatchesOrder, deleteFromScalars, elementKind, mergeList,
  normalizeElementOrder, partitionByPresence,
} from './strategic-list.js';

const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** `$setElementOrder/containers` → `containers`; upstream's extractKey. */
function directiveField(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === SET_ELEMENT_ORDER ? smpErrors.badSetElementOrder() : smpErrors.badPrimitiveList();
  }
  return key.slice(slash + 1);
}

function isDirectiveKey(key: string): boolean {
  return key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** `$patch` on a map: replace → the patch alone; delete → empty map (upstream keeps `{}`). */
function mapDirective(patch: JsonObject, schema: TSchema | undefined): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const rest: JsonObject = {};
    for (const [k, v] of Object.entries(patch)) if (k !== DIRECTIVE) setKey(rest, k, v);
    return fromPatch(rest, schema) as JsonObject;
  }
  throw patchErrors.unexpected(`unknown patch type: ${goValue(directive)} in map: ${goValue(patch)}`);
}

/**
 * A patch value with nothing live to merge into, as a plain value: directives applied against
 * nothing (element deletions vanish, `$patch: replace` keeps the rest), directive keys and
 * null-valued keys dropped. List elements are not merged with each other (upstream copies them).
 */
function fromPatch(value: unknown, schema: TSchema | undefined): unknown {
  if (Array.isArray(value)) {
    const { strategy, mergeKey } = patchStrategyOf(schema);
    const items = itemSchema(schema);
    const elements = strategy === 'merge' && mergeKey
      ? value.filter((e) => !(isObject(e) && Object.hasOwn(e, DIRECTIVE)))
      : value;
    return elements.map((e) => fromPatch(e, items));
  }
  if (!isObject(value)) return value;
  if (Object.hasOwn(value, DIRECTIVE)) return mapDirective(value, schema);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || isDirectiveKey(k)) continue;
    setKey(out, k, fromPatch(v, fieldSchema(schema, k)));
  }
  return out;
}

/**
 * `$retainKeys: [...]`: every non-null patch key must be listed (else 400), and live keys not
 * listed are cleared before merging. Upstream applies it wherever it appears, whatever the schema.
 */
function applyRetainKeys(live: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw smpErrors.badRetainKeys();
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retain.includes(k)) throw smpErrors.badRetainKeys();
  }
  for (const k of Object.keys(live)) if (!retain.includes(k)) delete live[k];
}

/** Merges a patch list into a live list as the field's strategy says (upstream's mergeSliceHandler). */
function mergeListField(live: unknown[], patch: unknown[], schema: TSchema | undefined): unknown[] {
  const { strategy, mergeKey } = patchStrategyOf(schema);
  if (strategy !== 'merge') return fromPatch(patch, schema) as unknown[];
  const items = itemSchema(schema);
  return mergeList(live, patch, {
    mergeKey,
    mergeElement: (l, p) => mergeMap(l, p, items),
    fromPatch: (e) => fromPatch(e, items),
  });
}

/**
 * `$setElementOrder/<field>: [...]`: merges the field's patch list (if any) and orders the result
 * as listed; live items not listed keep their live order and are interleaved as upstream does.
 * Handled fields are removed from `patch`. Upstream's mergePatchIntoOriginal.
 */
function applyElementOrders(live: JsonObject, patch: JsonObject, schema: TSchema | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType('list', order);
    const field = directiveField(key, SET_ELEMENT_ORDER);
    const foundLive = Object.hasOwn(live, field);
    const foundPatch = Object.hasOwn(patch, field);
    const liveList = live[field];
    const patchList = patch[field];
    if (foundLive && !Array.isArray(liveList)) throw badArgType('list', liveList);
    if (foundPatch && !Array.isArray(patchList)) throw badArgType('list', patchList);
    const fs = fieldSchema(schema, field);
    const { mergeKey } = patchStrategyOf(fs);
    checkPatchMatchesOrder((patchList as unknown[] | undefined) ?? [], order, mergeKey);
    let merged: unknown[];
    if (foundLive && foundPatch) merged = mergeListField(liveList as unknown[], patchList as unknown[], fs);
    else if (foundLive) merged = liveList as unknown[];
    else if (foundPatch) merged = fromPatch(patchList, fs) as unknown[];
    else continue;
    delete patch[field];
    const kind = elementKind((liveList as unknown[] | undefined) ?? [], merged);
    if (kind === 'object' && !mergeKey) { setKey(live, field, merged); continue; }
    const [listed, serverOnly] = partitionByPresence(merged, order, mergeKey);
    setKey(live, field, normalizeElementOrder(listed, serverOnly, order, (liveList as unknown[] | undefined) ?? [], mergeKey));
  }
}

/** `$deleteFromPrimitiveList/<field>: [...]`: removes those values from the live list. */
function applyPrimitiveDeletion(live: JsonObject, key: string, values: unknown): void {
  const field = directiveField(key, DELETE_FROM_PRIMITIVE_LIST);
  if (!Array.isArray(values)) throw smpErrors.badPrimitiveList();
  const current = live[field];
  if (!Array.isArray(current) || (current.length === 0 && values.length === 0)) return;
  if (elementKind(current, values) === 'object') throw smpErrors.badPrimitiveList();
  setKey(live, field, deleteFromScalars(current, values));
}

/**
 * Merges `patch` into `live` (both owned by the caller and mutated) under `schema`; upstream's
 * mergeMap. Returns the merged map, which may be a new object when a `$patch` directive applies.
 */
function mergeMap(live: JsonObject, patch: JsonObject, schema: TSchema | undefined): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch, schema);
  applyRetainKeys(live, patch);
  applyElementOrders(live, patch, schema);
  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) { deletions.push([key, value]); continue; }
    const fs = fieldSchema(schema, key);
    if (value === null) { delete live[key]; continue; }
    const current = Object.hasOwn(live, key) ? live[key] : undefined;
    if (current === undefined || kindOf(current) !== kindOf(value)) {
      setKey(live, key, fromPatch(value, fs));
    } else if (isObject(value)) {
      const replace = patchStrategyOf(fs).strategy === 'replace';
      setKey(live, key, replace ? fromPatch(value, fs) : mergeMap(current as JsonObject, value, fs));
    } else if (Array.isArray(value)) {
      setKey(live, key, mergeListField(current as unknown[], value, fs));
    } else {
      setKey(live, key, value);
    }
  }
  // After the lists they prune have been merged; upstream's order is unspecified (Go map order).
  for (const [key, value] of deletions) applyPrimitiveDeletion(live, key, value);
  return live;
}

/**
 * Applies a strategic merge patch to `original` under `schema` (the resource's TypeBox schema).
 * Returns a new object; neither argument is mutated and the result shares nothing with them.
 * Throws StatusErrors with upstream's codes: 400 for malformed patches and directives, 422 for
 * lists of lists, 500 (empty reason) for the errors upstream does not classify (missing merge key,
 * unknown `$patch` value, `$setElementOrder` mismatch, …).
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: TSchema): unknown {
  if (patch === null || patch === undefined) return structuredClone(original);
  if (!isObject(patch)) {
    throw patchErrors.badRequest(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`);
  }
  const base = original === null || original === undefined ? {} : original;
  if (!isObject(base)) throw patchErrors.unexpected(`expected a map[string]interface {}, but received a ${jsonKindName(base)}`);
  return mergeMap(structuredClone(base), structuredClone(patch), schema);
}
