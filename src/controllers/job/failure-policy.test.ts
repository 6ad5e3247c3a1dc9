import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../api/index.js';
import { matchPodFailurePolicy } from './failure-policy.js';

const policy: NonNullable<Job['spec']>['podFailurePolicy'] = {
  rules: [
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
  ],
};

const failed = (exitCode: number, conditions: { type: string; status: string }[] = []): Pod => ({
  metadata: { namespace: 'default', name: 'p' },
  status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', state: { terminated: { exitCode } } }] },
} as Pod);

test('the first matching rule decides, with upstream messages', () => {
  assert.deepEqual(matchPodFailurePolicy(policy, failed(42)), {
    action: 'FailJob', countFailed: true, message: 'Container main for pod default/p failed with exit code 42 matching FailJob rule at index 0',
  });
  assert.deepEqual(matchPodFailurePolicy(policy, failed(1, [{ type: 'DisruptionTarget', status: 'True' }])), { action: 'Ignore', countFailed: false });
  assert.deepEqual(matchPodFailurePolicy(policy, failed(3)), { action: 'Count', countFailed: true });
  // Exit code 1 matches no rule: counted.
  assert.deepEqual(matchPodFailurePolicy(policy, failed(1)), { countFailed: true });
  assert.deepEqual(matchPodFailurePolicy(undefined, failed(1)), { countFailed: true });
});
