// Pins what `capstan agent` loads (its resident memory is mostly code): the static import graph
// of src/cli/agent.ts must not reach the API server, the store, the scheduler, the controllers or
// any API schema (typebox). Reads the sources; runs nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Compiled, this file runs from dist/src/cli; the sources it reads are the checkout's src/.
const SRC = path.basename(path.dirname(HERE)) === 'dist' ? path.join(path.dirname(path.dirname(HERE)), 'src') : HERE;
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;

/** Source files (relative to src/) and packages reachable from `entry` through value imports. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [path.join(SRC, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    const rel = path.relative(SRC, file);
    if (files.has(rel)) continue;
    files.add(rel);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return { files, packages };
}

test('capstan agent loads no API server, store, scheduler, controllers or API schema', () => {
  const { files, packages } = reachable('cli/agent.ts');
  assert.ok(files.has('kubelet/index.ts') && files.has('runtime/index.ts'), 'the walk follows imports');
  const forbidden = [...files].filter((f) =>
    /^(store|scheduler|controllers|addons)\//.test(f) || f === 'api/index.ts' || f.startsWith('api/schema/')
    || (f.startsWith('apiserver/') && !/^apiserver\/(node-join|version|join\/(agent-credentials|join-protocol|join-token)|pki\/.*)\.ts$/.test(f)));
  assert.deepEqual(forbidden, []);
  for (const pkg of ['@sinclair/typebox', 'better-sqlite3', 'fast-json-patch']) assert.ok(!packages.has(pkg), `${pkg} is loaded`);
});

test('the walk sees type-only imports as loading nothing', () => {
  const { files } = reachable('cli/agent.ts');
  // kubelet files import types from api/index.ts; only api/light.ts is loaded.
  assert.ok(files.has('api/light.ts'));
  assert.ok(!files.has('api/index.ts'));
});
