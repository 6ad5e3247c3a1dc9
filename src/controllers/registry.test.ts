// `--controllers` as upstream kube-controller-manager reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledControllers, ControllersFlagError } from './registry.js';
import type { ControllerDescriptor } from './controller.js';

const fake = (name: string, enabledByDefault = true): ControllerDescriptor => ({ name, enabledByDefault, create: () => ({ run: async () => {} }) });
const known = [fake('replicaset'), fake('deployment'), fake('bootstrapsigner', false)];
const names = (list: string[]) => enabledControllers(list, known).map((c) => c.name);

test('* enables the default controllers, not the opt-in ones', () => {
  assert.deepEqual(names(['*']), ['replicaset', 'deployment']);
});

test('a name enables it, -name disables it even under *', () => {
  assert.deepEqual(names(['*', 'bootstrapsigner']), ['replicaset', 'deployment', 'bootstrapsigner']);
  assert.deepEqual(names(['*,-deployment']), ['replicaset']);
  assert.deepEqual(names(['deployment']), ['deployment']);
  assert.deepEqual(names(['-replicaset']), []);
});

test('an unknown name is an error', () => {
  assert.throws(() => names(['*', 'nosuch']), ControllersFlagError);
  assert.throws(() => names(['-nosuch']), /"nosuch" is not in the list of known controllers/);
});

test('the networking controllers service-lb and cluster-dns are known and on by default', () => {
  const defaults = enabledControllers(['*']).map((c) => c.name);
  assert.ok(defaults.includes('service-lb'));
  assert.ok(defaults.includes('cluster-dns'));
  assert.deepEqual(enabledControllers(['*', '-service-lb', '-cluster-dns']).map((c) => c.name).filter((n) => n === 'service-lb' || n === 'cluster-dns'), []);
});
