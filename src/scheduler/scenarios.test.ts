// Replays every scenario in testdata/*.yaml through the default framework (or the scenario's
// profile) and the real algorithm. Each scenario names the upstream test case it pins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runScenario, type Scenario } from './testdata/scenario.js';

// The YAML lives in the source tree; the compiled test (dist/src/…) reads it from there.
const dir = join(fileURLToPath(new URL('.', import.meta.url)).replace(/([/\\])dist\1src\1/, '$1src$1'), 'testdata');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

test('scenario files exist', () => {
  assert.ok(files.length >= 10, `found ${files.length} scenario files`);
});

for (const file of files) {
  const doc = parse(readFileSync(join(dir, file), 'utf8')) as { scenarios: Scenario[] };
  for (const s of doc.scenarios) {
    test(`${file}: ${s.name}`, async () => {
      assert.ok(s.upstream, 'every scenario names the upstream behaviour it pins');
      // Run twice with opposite tie-breaking so "any of these nodes" expectations are exercised.
      for (const random of [() => 0, (n: number) => n - 1]) {
        const out = await runScenario(s, random);
        const e = s.expect;
        if (e.order !== undefined) {
          assert.deepEqual(out.order, e.order);
          continue;
        }
        if (e.preEnqueue !== undefined) assert.equal(out.preEnqueue, e.preEnqueue);
        if (e.error !== undefined) {
          assert.equal(out.error, e.error, `expected a FitError, got node ${out.node}`);
        } else if (e.node !== undefined) {
          assert.equal(out.node, e.node, out.error);
        } else if (e.nodes !== undefined) {
          assert.ok(out.node !== undefined && e.nodes.includes(out.node), `got ${out.node ?? out.error}, want one of ${e.nodes}`);
        }
        if (e.failedScheduling !== undefined) assert.equal(out.failedScheduling, e.failedScheduling);
        if (e.nominatedNode !== undefined) assert.equal(out.nominatedNode, e.nominatedNode, out.failedScheduling);
        if (e.victims !== undefined) assert.deepEqual(out.victims, e.victims);
        if (out.node !== undefined) assert.deepEqual(out.bound, [`${s.pod!.name}->${out.node}`], 'DefaultBinder binds to the chosen node');
      }
    });
  }
}
