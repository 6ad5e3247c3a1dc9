import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as refs from './resource-refs.js';
import { RESOURCES } from './resources.js';

test('every resource ref addresses a served resource exactly as its catalogue entry does', () => {
  const all = Object.entries(refs);
  assert.ok(all.length >= 11);
  for (const [name, ref] of all) {
    const served = RESOURCES.find((r) => r.group === ref.group && r.version === ref.version && r.plural === ref.plural);
    assert.ok(served, `${name}: ${ref.group}/${ref.version}/${ref.plural} is not in the catalogue`);
    assert.equal(ref.kind, served.kind, `${name}.kind`);
    assert.equal(ref.namespaced, served.namespaced, `${name}.namespaced`);
  }
});
