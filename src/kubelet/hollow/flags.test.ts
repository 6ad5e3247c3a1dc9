import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationMs, parseLabelsFlag, parseTaintsFlag } from './flags.js';

test('labels: k=v lists, validated', () => {
  assert.deepEqual(parseLabelsFlag(undefined), {});
  assert.deepEqual(parseLabelsFlag('a=b, example.com/zone=z1,empty='), { a: 'b', 'example.com/zone': 'z1', empty: '' });
  assert.throws(() => parseLabelsFlag('novalue'), /invalid --labels entry "novalue": want key=value/);
  assert.throws(() => parseLabelsFlag('bad key=x'), /invalid --labels entry "bad key=x"/);
  assert.throws(() => parseLabelsFlag('k=a b'), /invalid --labels entry/);
});

test('taints: key=value:Effect and key:Effect as upstream ParseTaints', () => {
  assert.deepEqual(parseTaintsFlag('dedicated=sim:NoSchedule,gpu:PreferNoSchedule'), [
    { key: 'dedicated', value: 'sim', effect: 'NoSchedule' },
    { key: 'gpu', effect: 'PreferNoSchedule' },
  ]);
  assert.throws(() => parseTaintsFlag('a=b'), /want key=value:Effect/);
  assert.throws(() => parseTaintsFlag('a=b:Sometimes'), /effect must be one of NoExecute, NoSchedule, PreferNoSchedule/);
  assert.throws(() => parseTaintsFlag('=b:NoSchedule'), /invalid --taints entry/);
});

test('durations: Go syntax to milliseconds', () => {
  assert.equal(parseDurationMs('0s', 'f'), 0);
  assert.equal(parseDurationMs('0', 'f'), 0);
  assert.equal(parseDurationMs('500ms', 'f'), 500);
  assert.equal(parseDurationMs('1m30s', 'f'), 90_000);
  assert.equal(parseDurationMs('1.5s', 'f'), 1500);
  assert.throws(() => parseDurationMs('5', '--pod-start-delay'), /invalid --pod-start-delay "5"/);
  assert.throws(() => parseDurationMs('', 'f'), /invalid f/);
});
