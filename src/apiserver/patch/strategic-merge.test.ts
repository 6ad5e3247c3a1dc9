// Strategic merge patch semantics, as tables of (live, patch) → result. Each case names the
// upstream behaviour it pins; most come from k8s.io/apimachinery/pkg/util/strategicpatch
// patch_test.go (type MergeItem, reproduced by mergeItemSchema).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { mergeItemSchema } from './fake-schemas.js';

const schema = mergeItemSchema();

interface Case { name: string; live: unknown; patch: unknown; want: unknown }

function run(cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const live = structuredClone(c.live);
      const patch = structuredClone(c.patch);
      assert.deepEqual(applyStrategicMergePatch(live, patch, schema), c.want);
      assert.deepEqual(live, c.live, 'live object must not be mutated');
      assert.deepEqual(patch, c.patch, 'patch must not be mutated');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }
}

describe('strategic merge patch: maps', () => {
  run([
    { name: 'adds and replaces scalar fields', live: { name: 'a', value: '1' }, patch: { value: '2', other: 'x' }, want: { name: 'a', value: '2', other: 'x' } },
    // mergeMap: null deletes the key; unmatched nulls are ignored server-side (IgnoreUnmatchedNulls).
    { name: 'null deletes a field; null for an absent field is ignored', live: { name: 'a', value: '1' }, patch: { value: null, other: null }, want: { name: 'a' } },
    { name: 'nested maps merge', live: { simpleMap: { k1: '1', k2: '2' } }, patch: { simpleMap: { k2: 'b', k3: 'c', k1: null } }, want: { simpleMap: { k2: 'b', k3: 'c' } } },
    // patch_test "delete map from nested map": `$patch: delete` leaves an empty map.
    { name: '$patch: delete on a nested map empties it', live: { name: 'a', simpleMap: { k1: '1' } }, patch: { simpleMap: { $patch: 'delete' } }, want: { name: 'a', simpleMap: {} } },
    // patch_test "delete all keys from map" / "add key and delete all keys from map".
    { name: '$patch: replace at the top replaces the whole object', live: { name: '1', value: '1' }, patch: { $patch: 'replace' }, want: {} },
    { name: '$patch: replace keeps the keys given with it', live: { name: '1', value: '1' }, patch: { other: 'a', $patch: 'replace' }, want: { other: 'a' } },
    { name: '$patch: replace on a nested map', live: { simpleMap: { a: '1', b: '2' } }, patch: { simpleMap: { c: '3', $patch: 'replace' } }, want: { simpleMap: { c: '3' } } },
    // x-kubernetes-patch-strategy: replace on a map field (mergeMapHandler).
    { name: 'replace strategy replaces a map field whole', live: { replacingItem: { a: 1, b: { c: 2 } } }, patch: { replacingItem: { b: { d: 3 } } }, want: { replacingItem: { b: { d: 3 } } } },
    // mergeMap: differing types → the patch value wins.
    { name: 'a value of another type replaces', live: { simpleMap: { a: '1' }, value: 'x' }, patch: { simpleMap: 'oops', value: { a: 1 } }, want: { simpleMap: 'oops', value: { a: 1 } } },
    { name: 'unknown fields merge like JSON merge patch', live: { x: { a: 1, l: [1, 2] } }, patch: { x: { b: 2, l: [3] } }, want: { x: { a: 1, b: 2, l: [3] } } },
    { name: 'new subtrees lose directive keys and nulls', live: {}, patch: { simpleMap: { a: '1', b: null, $retainKeys: ['a'] }, mergingList: [{ name: '1', value: null, mergingList: [{ name: 'x', $patch: 'delete' }, { name: 'y' }] }] }, want: { simpleMap: { a: '1' }, mergingList: [{ name: '1', mergingList: [{ name: 'y' }] }] } },
    { name: 'a new map with $patch: replace becomes its remaining keys', live: {}, patch: { simpleMap: { $patch: 'replace', a: '1' } }, want: { simpleMap: { a: '1' } } },
    { name: 'a __proto__ key is data, never the prototype', live: { simpleMap: {} }, patch: JSON.parse('{"simpleMap": {"__proto__": "x"}, "__proto__": {"polluted": "1"}}'), want: JSON.parse('{"simpleMap": {"__proto__": "x"}, "__proto__": {"polluted": "1"}}') },
    { name: 'null patch changes nothing', live: { name: 'a' }, patch: null, want: { name: 'a' } },
    { name: 'empty patch changes nothing', live: { name: 'a', mergingList: [{ name: '1' }] }, patch: {}, want: { name: 'a', mergingList: [{ name: '1' }] } },
  ]);
});

describe('strategic merge patch: lists', () => {
  run([
    { name: 'lists without a merge strategy are replaced', live: { nonMergingList: [{ name: '1' }, { name: '2' }], nonMergingIntList: [1, 2] }, patch: { nonMergingList: [{ name: '3' }], nonMergingIntList: [3] }, want: { nonMergingList: [{ name: '3' }], nonMergingIntList: [3] } },
    // patch_test "unique scalars when merging lists".
    { name: 'merging scalar lists are merged as sets', live: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, want: { mergingIntList: [1, 2, 3] } },
    // patch_test "preserve the order from the patch in a merging int list" (both variants).
    { name: 'scalar order follows the patch', live: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, want: { mergingIntList: [3, 1, 2] } },
    { name: 'scalars not in the patch keep their place relative to the live list', live: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, want: { mergingIntList: [2, 3, 1] } },
    { name: 'elements with the same merge key are merged', live: { mergingList: [{ name: '1', value: 'a' }, { name: '2', value: 'b' }] }, patch: { mergingList: [{ name: '2', other: 'x', value: null }] }, want: { mergingList: [{ name: '1', value: 'a' }, { name: '2', other: 'x' }] } },
    // patch_test "preserve the order from the patch in a merging list" and "... 2".
    { name: 'merged element order follows the patch', live: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] }, patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] }, want: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }] } },
    { name: 'live-only elements keep their relative place', live: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] }, patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] }, want: { mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }] } },
    // normalizeElementOrder: a new element is not in the live list, so it goes first (the
    // kubectl-patch docs show a container added this way listed before the existing one).
    { name: 'new elements without $setElementOrder come before live-only ones', live: { mergingList: [{ name: '1' }, { name: '2' }] }, patch: { mergingList: [{ name: '3' }] }, want: { mergingList: [{ name: '3' }, { name: '1' }, { name: '2' }] } },
    { name: 'new scalars without $setElementOrder come first too', live: { mergingIntList: [1, 2] }, patch: { mergingIntList: [3] }, want: { mergingIntList: [3, 1, 2] } },
    { name: '$patch: delete removes the element', live: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }] }, patch: { mergingList: [{ name: '1', $patch: 'delete' }] }, want: { mergingList: [{ name: '2', value: 'b' }] } },
    // patch_test "delete all duplicate entries in a merging list": deleteMatchingEntries removes every match.
    { name: '$patch: delete removes every element with that key', live: { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] }, patch: { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] }, want: { mergingList: [{ name: '2', value: 'a' }] } },
    { name: 'deleting an absent element is a no-op', live: { mergingList: [{ name: '1' }] }, patch: { mergingList: [{ name: '9', $patch: 'delete' }] }, want: { mergingList: [{ name: '1' }] } },
    // patch_test "delete all items from merging list".
    { name: '{$patch: replace} alone empties the list', live: { mergingList: [{ name: '1' }, { name: '2' }] }, patch: { mergingList: [{ $patch: 'replace' }] }, want: { mergingList: [] } },
    { name: '{$patch: replace} makes the other elements the whole list', live: { mergingList: [{ name: '1', value: 'a' }, { name: '2' }] }, patch: { mergingList: [{ name: '1', other: 'b' }, { $patch: 'replace' }, { name: '3' }] }, want: { mergingList: [{ name: '1', other: 'b' }, { name: '3' }] } },
    // patch_test "merge empty merging lists".
    { name: 'empty merging lists stay empty', live: { mergingList: [] }, patch: { mergingList: [] }, want: { mergingList: [] } },
    { name: 'an empty patch list leaves a merging list alone', live: { mergingList: [{ name: '1' }] }, patch: { mergingList: [] }, want: { mergingList: [{ name: '1' }] } },
    { name: 'null deletes a whole merging list', live: { mergingList: [{ name: '1' }], name: 'x' }, patch: { mergingList: null }, want: { name: 'x' } },
    { name: 'nested merging lists merge recursively', live: { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: '1' }] }] }, patch: { mergingList: [{ name: '1', mergingList: [{ name: 'a', other: '2' }, { name: 'b' }] }] }, want: { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: '1', other: '2' }, { name: 'b' }] }] } },
    { name: 'duplicate scalars in the patch are collapsed', live: { mergingIntList: [1] }, patch: { mergingIntList: [2, 2, 1] }, want: { mergingIntList: [2, 1] } },
  ]);
});

describe('strategic merge patch: parallel lists and retainKeys', () => {
  run([
    // $deleteFromPrimitiveList/<field> (deleteFromSlice).
    { name: '$deleteFromPrimitiveList removes values', live: { mergingIntList: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [1, 3] }, want: { mergingIntList: [2] } },
    { name: '$deleteFromPrimitiveList together with additions', live: { mergingIntList: [1, 2] }, patch: { mergingIntList: [3], '$deleteFromPrimitiveList/mergingIntList': [1] }, want: { mergingIntList: [3, 2] } },
    { name: '$deleteFromPrimitiveList on an absent list adds nothing', live: { name: 'a' }, patch: { '$deleteFromPrimitiveList/mergingIntList': [1] }, want: { name: 'a' } },
    // patch_test "$setElementOrder contains item that is not present in the list to be merged".
    { name: '$setElementOrder orders merged elements and ignores unknown ones', live: { mergingList: [{ name: '1' }, { name: '3' }] }, patch: { '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }], mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] }, want: { mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] } },
    { name: '$setElementOrder alone reorders a scalar list', live: { mergingIntList: [1, 3] }, patch: { '$setElementOrder/mergingIntList': [3, 2, 1] }, want: { mergingIntList: [3, 1] } },
    { name: '$setElementOrder places a new element', live: { mergingList: [{ name: '1' }, { name: '2' }] }, patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '3' }, { name: '2' }], mergingList: [{ name: '3', value: 'c' }] }, want: { mergingList: [{ name: '1' }, { name: '3', value: 'c' }, { name: '2' }] } },
    { name: 'elements missing from $setElementOrder keep their live order', live: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }, patch: { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'a' }] }, want: { mergingList: [{ name: 'b' }, { name: 'c' }, { name: 'a' }] } },
    { name: '$setElementOrder with deletions', live: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }, patch: { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'a' }], mergingList: [{ name: 'b', $patch: 'delete' }] }, want: { mergingList: [{ name: 'c' }, { name: 'a' }] } },
    { name: '$setElementOrder for a list the live object lacks', live: {}, patch: { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }], mergingList: [{ name: '2' }, { name: '1' }] }, want: { mergingList: [{ name: '2' }, { name: '1' }] } },
    // patch_test "retainKeys map can add/change/delete a field when no retainKeys directive present".
    { name: 'retainKeys map without the directive merges normally', live: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: { value: 'b', other: null } }, want: { retainKeysMap: { name: 'foo', value: 'b' } } },
    { name: '$retainKeys clears keys not listed', live: { retainKeysMap: { name: 'foo', value: 'a', other: 'o', simpleMap: { k: 'v' } } }, patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'b' } }, want: { retainKeysMap: { name: 'foo', value: 'b' } } },
    { name: '$retainKeys on merging list elements', live: { retainKeysMergingList: [{ name: 'bar', value: 'x' }, { name: 'foo', value: 'a', other: 'o' }] }, patch: { retainKeysMergingList: [{ name: 'foo', $retainKeys: ['name', 'other'], other: 'p' }] }, want: { retainKeysMergingList: [{ name: 'bar', value: 'x' }, { name: 'foo', other: 'p' }] } },
    { name: '$retainKeys allows null and parallel-list keys that are not listed', live: { retainKeysMap: { name: 'foo', value: 'a', mergingIntList: [1, 2] } }, patch: { retainKeysMap: { $retainKeys: ['name', 'mergingIntList'], value: null, '$deleteFromPrimitiveList/mergingIntList': [1] } }, want: { retainKeysMap: { name: 'foo', mergingIntList: [2] } } },
  ]);
});
