import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedSerializer } from './keyed-serializer.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, opened };
}

test('tasks of one key run one at a time in order; other keys run alongside; a failure does not block the queue', async () => {
  const s = new KeyedSerializer();
  const log: string[] = [];
  const g = gate();
  const a1 = s.run('a', async () => { log.push('a1 start'); await g.opened; log.push('a1 end'); throw new Error('a1 failed'); });
  const a2 = s.run('a', async () => { log.push('a2'); return 2; });
  const b1 = s.run('b', async () => { log.push('b1'); return 1; });
  assert.equal(await b1, 1);
  assert.deepEqual(log, ['a1 start', 'b1']);
  g.open();
  await assert.rejects(a1, /a1 failed/);
  assert.equal(await a2, 2);
  assert.deepEqual(log, ['a1 start', 'b1', 'a1 end', 'a2']);
  await new Promise((r) => setImmediate(r));
  assert.equal(s.activeKeys, 0);
});
