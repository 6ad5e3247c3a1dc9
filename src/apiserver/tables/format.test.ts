// Pins humanDuration to upstream's duration_test.go (TestHumanDuration, TestHumanDurationBoundaries)
// and the label/selector formatting to labels.FormatLabels / metav1.FormatLabelSelector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, since, formatLabels, formatLabelSelector, selectorString, listWithMore, accessModes } from './format.js';

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H, Y = 365 * D;

test('humanDuration matches upstream samples and boundaries', () => {
  const cases: [number, string][] = [
    [S, '1s'], [70 * S, '70s'], [190 * S, '3m10s'], [70 * M, '70m'], [47 * H, '47h'], [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'], [367 * D, '367d'], [2 * Y + 25 * H, '2y1d'], [8 * Y + 2 * H, '8y'],
    [-2 * S, '<invalid>'], [-2 * S + 1, '0s'], [0, '0s'], [S - 1, '0s'], [2 * M - 1, '119s'], [2 * M, '2m'], [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'], [10 * M, '10m'], [10 * M + S, '10m'], [3 * H - 1, '179m'], [3 * H, '3h'], [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'], [8 * H, '8h'], [8 * H + 59 * M, '8h'], [2 * D - 1, '47h'], [2 * D, '2d'], [2 * D + H, '2d1h'],
    [8 * D - 1, '7d23h'], [8 * D, '8d'], [8 * D + 23 * H, '8d'], [2 * Y - 1, '729d'], [2 * Y, '2y'], [2 * Y + 23 * H + 59 * M, '2y'],
    [2 * Y + D, '2y1d'], [3 * Y, '3y'], [7 * Y, '7y'], [8 * Y - 1, '7y364d'], [8 * Y, '8y'], [8 * Y + 364 * D, '8y'], [9 * Y, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms}ms)`);
});

test('since: unknown for unset or unparsable timestamps, age otherwise', () => {
  const now = new Date('2024-01-01T00:05:00Z');
  assert.equal(since(undefined, now), '<unknown>');
  assert.equal(since('not a time', now), '<unknown>');
  assert.equal(since('2024-01-01T00:00:00Z', now), '5m');
});

test('label and selector formatting', () => {
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'canary', operator: 'DoesNotExist' }, { key: 'env', operator: 'Exists' }],
  }), 'app=web,!canary,env,tier in (be,fe)');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
  assert.equal(selectorString({}), '');
  assert.equal(selectorString({ matchLabels: { app: 'web' } }), 'app=web');
});

test('listWithMore and access modes', () => {
  assert.equal(listWithMore([], 3, '<unset>'), '<unset>');
  assert.equal(listWithMore(['a', 'b'], 3, ''), 'a,b');
  assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e'], 3, ''), 'a,b,c + 2 more...');
  assert.equal(accessModes(['ReadWriteMany', 'ReadWriteOnce']), 'RWO,RWX');
  assert.equal(accessModes(undefined), '');
});
