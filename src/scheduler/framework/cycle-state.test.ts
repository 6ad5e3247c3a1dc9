import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, stateReader, type StateData } from './cycle-state.js';

class Value implements StateData {
  constructor(readonly n: number) {}
  clone(): StateData { return new Value(this.n); }
}

test('stateReader hands out the value of the state it is given, even after writes and on clones', () => {
  const read = stateReader<Value>('k');
  const a = new CycleState();
  assert.equal(read(a), undefined);
  a.write('k', new Value(1));
  assert.equal(read(a)?.n, 1, 'a write after a read is seen');
  assert.equal(read(a), read(a));
  const b = a.clone();
  b.write('k', new Value(2));
  assert.equal(read(b)?.n, 2, 'another state (a what-if clone) is read afresh');
  assert.equal(read(a)?.n, 1, 'and back');
  a.delete('k');
  assert.equal(read(a), undefined, 'a delete is seen');
});
