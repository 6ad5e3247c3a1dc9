// Replays every scenario in testdata/*.yaml through the default framework (or the scenario's
// profile) and the real algorithm. Each scenario names the upstream test case it pins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runScenario, type Scenario } from './testdata/scenario.js';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'testdata');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

test('scenario files exist', () => {
  assert.ok(files.length >= 7, `found ${files.length} scenario files`);
});

for (const file of files) {
  const doc = parse(readFileSync(join(dir, file), 'utf8')) as { scenarios: Scenario[] };
  for (const s of doc.scenarios) {
    test(`${file}: ${s.name}`, () => {
      // Run twice with opposite tie-breaking so "any of these nodes" expectations are exercised.
      for (const random of [() => 0, (n: number) => n - 1]) {
        const out = runScenario(s, random);
        if (s.expect.error !== undefined) {
          assert.equal(out.error, s.expect.error, `expected a FitError, got node ${out.node}`);
        } else if (s.expect.node !== undefined) {
          assert.equal(out.node, s.expect.node, out.error);
        } else {
          assert.ok(out.node !== undefined && s.expect.nodes!.includes(out.node), `got ${out.node ?? out.error}, want one of ${s.expect.nodes}`);
        }
      }
    });
  }
}
