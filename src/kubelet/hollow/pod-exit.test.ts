import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { exitedPodStatus, hollowExitOf, HOLLOW_EXIT_AFTER_ANNOTATION, HOLLOW_EXIT_CODE_ANNOTATION } from './pod-exit.js';

const pod = (restartPolicy: string, ann: Record<string, string>): Pod => ({
  metadata: { name: 'p', namespace: 'default', annotations: ann },
  spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox' }] },
  status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }] },
} as Pod);

test('hollowExitOf reads the annotations and applies the restart policy as the kubelet would', () => {
  assert.deepEqual(hollowExitOf(pod('Never', { [HOLLOW_EXIT_AFTER_ANNOTATION]: '500' })), { afterMs: 500, exitCode: 0, phase: 'Succeeded' });
  assert.deepEqual(hollowExitOf(pod('Never', { [HOLLOW_EXIT_AFTER_ANNOTATION]: '0', [HOLLOW_EXIT_CODE_ANNOTATION]: '3' })), { afterMs: 0, exitCode: 3, phase: 'Failed' });
  assert.deepEqual(hollowExitOf(pod('OnFailure', { [HOLLOW_EXIT_AFTER_ANNOTATION]: '10' })), { afterMs: 10, exitCode: 0, phase: 'Succeeded' });
  // Restarted by the kubelet: keeps running.
  assert.equal(hollowExitOf(pod('OnFailure', { [HOLLOW_EXIT_AFTER_ANNOTATION]: '10', [HOLLOW_EXIT_CODE_ANNOTATION]: '1' })), undefined);
  assert.equal(hollowExitOf(pod('Always', { [HOLLOW_EXIT_AFTER_ANNOTATION]: '10' })), undefined);
  assert.equal(hollowExitOf(pod('Never', {})), undefined);
  assert.equal(hollowExitOf(pod('Never', { [HOLLOW_EXIT_AFTER_ANNOTATION]: 'soon' })), undefined);
});

test('exitedPodStatus reports the terminal phase, not-ready conditions and terminated containers', () => {
  const p = pod('Never', { [HOLLOW_EXIT_AFTER_ANNOTATION]: '0', [HOLLOW_EXIT_CODE_ANNOTATION]: '2' });
  const s = exitedPodStatus(p, hollowExitOf(p)!, { containerIDs: new Map([['main', 'fake://c1']]), startedAt: 0, now: 5000 });
  assert.equal(s.phase, 'Failed');
  assert.deepEqual(s.conditions?.map((c) => [c.type, c.status, c.reason]), [['PodScheduled', 'True', undefined], ['Ready', 'False', 'PodCompleted'], ['ContainersReady', 'False', 'PodCompleted']]);
  assert.deepEqual(s.containerStatuses?.[0]?.state?.terminated, { exitCode: 2, reason: 'Error', startedAt: '1970-01-01T00:00:00Z', finishedAt: '1970-01-01T00:00:05Z', containerID: 'fake://c1' });
});
