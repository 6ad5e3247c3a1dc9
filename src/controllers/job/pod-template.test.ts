import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../api/index.js';
import { podFromJob, removeTrackingFinalizerPatch } from './pod-template.js';

const job = {
  metadata: { name: 'work', namespace: 'default', uid: 'j1' },
  spec: { template: { metadata: { labels: { app: 'w' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
} as Job;

test('NonIndexed pods: generateName, controller reference and the tracking finalizer', () => {
  const pod = podFromJob(job) as Pod;
  assert.equal(pod.metadata?.generateName, 'work-');
  assert.deepEqual(pod.metadata?.finalizers, ['batch.kubernetes.io/job-tracking']);
  assert.deepEqual(pod.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'j1', controller: true, blockOwnerDeletion: true }]);
  assert.equal(pod.spec?.hostname, undefined);
  assert.equal(pod.metadata?.annotations, undefined);
});

test('Indexed pods carry their index as annotation, label, hostname and JOB_COMPLETION_INDEX', () => {
  const pod = podFromJob(job, 3) as Pod;
  assert.equal(pod.metadata?.generateName, 'work-3-');
  assert.equal(pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], '3');
  assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], '3');
  assert.equal(pod.metadata?.labels?.app, 'w');
  assert.equal(pod.spec?.hostname, 'work-3');
  assert.deepEqual(pod.spec?.containers?.[0]?.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
  // The template itself is untouched.
  assert.equal(job.spec?.template?.spec?.containers?.[0]?.env, undefined);
});

test('the finalizer is removed with a strategic-merge delete from the list', () => {
  assert.deepEqual(removeTrackingFinalizerPatch('p1'), { metadata: { uid: 'p1', '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } });
});
