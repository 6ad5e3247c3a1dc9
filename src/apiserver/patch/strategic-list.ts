// List handling for strategic merge patch, mirroring upstream's
// k8s.io/apimachinery/pkg/util/strategicpatch (mergeSlice, mergeSliceWithSpecialElements,
// normalizeElementOrder, validatePatchWithSetOrderList). Pure functions over owned JSON values;
// recursion into list elements goes through the callbacks in `ListMerge`, so this file does not
// depend on the map-merging code.
import { patchErrors, smpErrors } from './errors.js';
import { goTypeName, goValue } from './go-format.js';
import { isObject, jsonEqual, type JsonObject } from './json.js';

export const DIRECTIVE = '$patch';

/** What a merging list needs from the map-merging side. */
export interface ListMerge {
  /** x-kubernetes-patch-merge-key of the list; '' for lists of scalars. */
  mergeKey: string;
  /** Merges a patch element into the live element with the same merge key. */
  mergeElement(live: JsonObject, patch: JsonObject): JsonObject;
  /** Turns a patch element with no live counterpart into a plain value (directives removed). */
  fromPatch(element: unknown): unknown;
}

/** mergepatch.ErrNoMergeKey: 500 "map: map[...] does not contain declared merge key: name". */
export function noMergeKey(m: unknown, mergeKey: string) {
  return patchErrors.unexpected(`map: ${goValue(m)} does not contain declared merge key: ${mergeKey}`);
}

/** mergepatch.ErrBadArgType for a value that should have been a JSON object or list. */
export function badArgType(expected: 'map' | 'list', actual: unknown) {
  const want = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return patchErrors.unexpected(`expected a ${want}, but received a ${goTypeName(actual)}`);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Kind shared by the elements of the given lists: 'object', a scalar kind, or undefined when all
 * are empty. Upstream refuses lists of lists (422) and mixed element types (500).
 */
export function elementKind(...lists: unknown[][]): string | undefined {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'array') throw smpErrors.noListOfLists();
        kind = k;
      } else if (k !== kind) {
        throw patchErrors.unexpected(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  return kind;
}

function sameKeyValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && jsonEqual(a, b));
}

/** The element's merge-key value; throws upstream's errors for non-objects and missing keys. */
function keyValueOf(element: unknown, mergeKey: string): unknown {
  if (!isObject(element)) throw badArgType('map', element);
  if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
  return element[mergeKey];
}

/** Index of `v` in `list`: by merge-key value for lists of objects, by value for scalars. */
function indexIn(list: unknown[], v: unknown, mergeKey: string): number {
  if (!mergeKey) return list.findIndex((e) => e === v);
  const key = isObject(v) ? v[mergeKey] : undefined;
  return list.findIndex((e) => sameKeyValue(isObject(e) ? e[mergeKey] : undefined, key));
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (!isObject(e)) throw patchErrors.unexpected(`value for key ${i} is not a map.`);
    if (Object.hasOwn(e, mergeKey) && sameKeyValue(e[mergeKey], value)) return i;
  }
  return -1;
}

/** Scalars without repeats, first occurrence kept. */
export function dedupeScalars(list: unknown[]): unknown[] {
  return list.filter((v, i) => list.indexOf(v) === i);
}

/** Removes every value listed in a `$deleteFromPrimitiveList/<field>` list. */
export function deleteFromScalars(live: unknown[], toDelete: unknown[]): unknown[] {
  return live.filter((v) => !toDelete.includes(v));
}

/**
 * Applies `$patch` elements of a merging list of objects: `{key: v, $patch: delete}` removes the
 * live elements with that key; `{$patch: replace}` makes the rest of the patch the whole list.
 * Returns the live list to merge into and the patch elements left to merge.
 */
function applySpecialElements(live: unknown[], patch: unknown[], mergeKey: string): { live: unknown[]; patch: JsonObject[]; replaced: boolean } {
  let kept = live;
  const rest: JsonObject[] = [];
  let replace = false;
  for (const v of patch as JsonObject[]) {
    if (!Object.hasOwn(v, DIRECTIVE)) { rest.push(v); continue; }
    const directive = v[DIRECTIVE];
    if (directive === 'delete') {
      const value = keyValueOf(v, mergeKey);
      kept = kept.filter((e) => !(isObject(e) && Object.hasOwn(e, mergeKey) && sameKeyValue(e[mergeKey], value)));
    } else if (directive === 'replace') {
      replace = true; // keep scanning: the other directive elements are dropped
    } else if (directive === 'merge') {
      throw patchErrors.unexpected('merging lists cannot yet be specified in the patch');
    } else {
      throw patchErrors.unexpected(`unknown patch type: ${goValue(directive)} in map: ${goValue(v)}`);
    }
  }
  return replace ? { live: rest, patch: [], replaced: true } : { live: kept, patch: rest, replaced: false };
}

/**
 * Items of `toSort` ordered as in `order` (stable); items `order` does not mention keep their
 * relative order after the others.
 */
function sortByOrder(toSort: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const ranked = toSort.map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey) }));
  ranked.sort((a, b) => {
    if (a.at >= 0 && b.at >= 0) return a.at - b.at || a.i - b.i;
    if (a.at >= 0) return -1;
    if (b.at >= 0) return 1;
    return a.i - b.i;
  });
  return ranked.map((r) => r.v);
}

/**
 * Upstream's normalizeElementOrder: patch items in `patchOrder`, server-only items in live order,
 * then interleaved: a server-only item goes before a patch item only when both are in the live
 * list and it came first there. So items new to the list come before the remaining server-only
 * items unless `$setElementOrder` places them (what `kubectl patch` adding a container shows).
 */
export function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], liveOrder: unknown[], mergeKey: string): unknown[] {
  if (mergeKey) {
    for (const list of [patchItems, patchOrder, serverOnly, liveOrder]) for (const e of list) keyValueOf(e, mergeKey);
  }
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, liveOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) { out.push(right[j++]); continue; }
    if (j >= right.length) { out.push(left[i++]); continue; }
    const li = indexIn(liveOrder, left[i], mergeKey);
    const ri = indexIn(liveOrder, right[j], mergeKey);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out;
}

/** Splits `merged` into items `by` mentions (by merge key, or by value for scalars) and the rest. */
export function partitionByPresence(merged: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const v of merged) {
    const found = mergeKey ? findByKey(by, mergeKey, keyValueOf(v, mergeKey)) >= 0 : by.includes(v);
    (found ? present : absent).push(v);
  }
  return [present, absent];
}

/**
 * Merges a patch list into a live list whose field has strategy `merge` (upstream's mergeSlice).
 * Scalars are merged as a set; objects are matched by merge key and merged, new ones added, with
 * `$patch` elements applied first. The result is ordered by normalizeElementOrder.
 */
export function mergeList(live: unknown[], patch: unknown[], m: ListMerge): unknown[] {
  if (live.length === 0 && patch.length === 0) return live;
  const kind = elementKind(live, patch);
  if (kind !== 'object') {
    const merged = dedupeScalars([...live, ...patch]);
    const [inPatch, serverOnly] = partitionByPresence(merged, patch, '');
    return normalizeElementOrder(inPatch, serverOnly, patch, live, '');
  }
  if (!m.mergeKey) throw patchErrors.unexpected('cannot merge lists without merge key for type struct');
  const special = applySpecialElements(live, patch, m.mergeKey);
  const base = special.replaced ? special.live.map((e) => m.fromPatch(e)) : special.live;
  const merged = base.slice();
  for (const v of special.patch) {
    const at = findByKey(merged, m.mergeKey, keyValueOf(v, m.mergeKey));
    if (at >= 0) merged[at] = m.mergeElement(merged[at] as JsonObject, v);
    else merged.push(m.fromPatch(v));
  }
  const [inPatch, serverOnly] = partitionByPresence(merged, special.patch, m.mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, special.patch, base, m.mergeKey);
}

/**
 * Upstream's validatePatchWithSetOrderList: the patch list's elements (deletions and directive
 * elements aside) must appear in `$setElementOrder` in the same relative order.
 */
export function checkPatchMatchesOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const candidates = mergeKey
    ? patchList.filter((v) => {
      if (!isObject(v)) throw badArgType('map', v);
      return v[DIRECTIVE] !== 'delete';
    })
    : patchList;
  let p = 0;
  let s = 0;
  while (p < candidates.length && s < order.length) {
    const item = candidates[p];
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) { p++; continue; }
    const equal = mergeKey ? keyValueOf(item, mergeKey) === keyValueOf(order[s], mergeKey) : item === order[s];
    if (equal) p++;
    s++;
  }
  if (p < candidates.length) {
    throw patchErrors.unexpected(`The order in patch list:\n${goValue(patchList)}\n doesn't match $setElementOrder list:\n${goValue(order)}\n`);
  }
}
