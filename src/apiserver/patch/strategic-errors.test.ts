// Errors of the strategic merge patch engine and the status each maps to, per upstream's
// interpretStrategicMergePatchError (k8s.io/apiserver pkg/endpoints/handlers/patch.go):
// mergepatch's bad-format errors are 400 BadRequest, ErrNoListOfLists is 422 Invalid with the
// generic message, anything else reaches the client as a 500 with an empty reason.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, list, str, anonObj, withMeta, type TSchema } from '../../api/index.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { mergeItemSchema } from './fake-schemas.js';

const schema = mergeItemSchema();

function expectStatus(fn: () => unknown, code: number, reason: string, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.status.code, code);
    assert.equal(e.status.reason, reason);
    if (typeof message === 'string') assert.equal(e.status.message, message);
    else assert.match(e.status.message ?? '', message);
    return true;
  });
}

describe('strategic merge patch errors', () => {
  const cases: { name: string; live?: unknown; patch: unknown; code: number; reason: string; message: string | RegExp; schema?: TSchema }[] = [
    { name: 'a patch that is not a JSON object', patch: [1], code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { name: 'a scalar patch', patch: 'x', code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type map[string]interface {}' },
    { name: '$retainKeys that is not a list', live: { retainKeysMap: { name: 'a' } }, patch: { retainKeysMap: { $retainKeys: 'name' } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: 'a patch key missing from $retainKeys', live: { retainKeysMap: { name: 'a' } }, patch: { retainKeysMap: { $retainKeys: ['name'], value: 'v' } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: '$deleteFromPrimitiveList without a field', live: { mergingIntList: [1] }, patch: { $deleteFromPrimitiveList: [1] }, code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
    { name: '$deleteFromPrimitiveList that is not a list', live: { mergingIntList: [1] }, patch: { '$deleteFromPrimitiveList/mergingIntList': 1 }, code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
    { name: '$setElementOrder without a field', live: { mergingIntList: [1] }, patch: { $setElementOrder: [1] }, code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    { name: 'a list of lists in a merging list', live: { mergingIntList: [[1]] }, patch: { mergingIntList: [[2]] }, code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
    { name: 'a merging-list element without its merge key', live: { mergingList: [{ name: '1' }] }, patch: { mergingList: [{ value: 'x' }] }, code: 500, reason: '', message: 'map: map[value:x] does not contain declared merge key: name' },
    { name: 'a delete directive without the merge key', live: { mergingList: [{ name: '1' }] }, patch: { mergingList: [{ $patch: 'delete' }] }, code: 500, reason: '', message: 'map: map[$patch:delete] does not contain declared merge key: name' },
    { name: '$patch: merge in a list', live: { mergingList: [{ name: '1' }] }, patch: { mergingList: [{ $patch: 'merge' }] }, code: 500, reason: '', message: 'merging lists cannot yet be specified in the patch' },
    { name: 'an unknown $patch in a list', live: { mergingList: [{ name: '1' }] }, patch: { mergingList: [{ name: '1', $patch: 'frob' }] }, code: 500, reason: '', message: 'unknown patch type: frob in map: map[$patch:frob name:1]' },
    { name: 'an unknown $patch on a map', live: { simpleMap: { a: '1' } }, patch: { simpleMap: { $patch: 'merge', b: '2' } }, code: 500, reason: '', message: 'unknown patch type: merge in map: map[$patch:merge b:2]' },
    { name: 'mixed element types in a merging list', live: { mergingIntList: [1] }, patch: { mergingIntList: ['a'] }, code: 500, reason: '', message: /^list element types are not identical/ },
    { name: '$setElementOrder that is not a list', live: { mergingIntList: [1] }, patch: { '$setElementOrder/mergingIntList': 'x' }, code: 500, reason: '', message: 'expected a []interface {}, but received a string' },
    { name: 'a patch list out of $setElementOrder order', live: { mergingList: [{ name: '1' }, { name: '2' }] }, patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }], mergingList: [{ name: '2' }, { name: '1' }] }, code: 500, reason: '', message: /^The order in patch list:\n\[map\[name:2\] map\[name:1\]\]\n doesn't match \$setElementOrder list:/ },
    {
      name: 'a schema with an unexpected patch strategy', live: { l: [1] }, patch: { l: [2] }, code: 500, reason: '', message: 'unexpected patch strategy: [merge replace]',
      schema: anonObj('x', { l: withMeta(list(str()), { 'x-kubernetes-patch-strategy': 'merge,replace' }) }),
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, () => {
      expectStatus(() => applyStrategicMergePatch(c.live ?? {}, c.patch, c.schema ?? schema), c.code, c.reason, c.message);
    });
  }
});
