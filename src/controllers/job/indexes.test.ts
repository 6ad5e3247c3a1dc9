import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { completionIndexOf, firstPendingIndexes, formatIndexes, parseIndexes, JOB_COMPLETION_INDEX_ANNOTATION } from './indexes.js';

test('completed indexes format and parse as interval lists', () => {
  assert.equal(formatIndexes([7, 0, 2, 3, 4, 3]), '0,2-4,7');
  assert.equal(formatIndexes([]), '');
  assert.deepEqual([...parseIndexes('0,2-4,7', 10)], [0, 2, 3, 4, 7]);
  assert.deepEqual([...parseIndexes('0,2-4,7', 4)], [0, 2, 3]);
});

test('pending indexes skip active and succeeded ones', () => {
  assert.deepEqual(firstPendingIndexes([1], new Set([0, 3]), 3, 6), [2, 4, 5]);
  assert.deepEqual(firstPendingIndexes([], new Set(), 2, 1), [0]);
});

test('a pod carries its index in an annotation', () => {
  const pod = (v?: string) => ({ metadata: { annotations: v === undefined ? {} : { [JOB_COMPLETION_INDEX_ANNOTATION]: v } } }) as Pod;
  assert.equal(completionIndexOf(pod('3')), 3);
  assert.equal(completionIndexOf(pod('x')), undefined);
  assert.equal(completionIndexOf(pod()), undefined);
});
