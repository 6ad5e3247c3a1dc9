import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/index.js';
import { ttlTimeLeftMs } from './ttl.js';

const finished = (ttl: number | undefined, type = 'Complete'): Job => ({
  metadata: { name: 'j' }, spec: { ttlSecondsAfterFinished: ttl },
  status: { conditions: [{ type, status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
} as Job);

test('a finished job expires ttlSecondsAfterFinished after its Complete or Failed condition', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(ttlTimeLeftMs(finished(100), t0 + 40_000), 60_000);
  assert.equal(ttlTimeLeftMs(finished(0, 'Failed'), t0 + 1), -1);
  assert.equal(ttlTimeLeftMs(finished(undefined), t0), undefined);
  assert.equal(ttlTimeLeftMs({ metadata: {}, spec: { ttlSecondsAfterFinished: 5 }, status: {} } as Job, t0), undefined);
});
