import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerStatus } from '../../runtime/index.js';
import { formatCriLine } from '../logs/index.js';
import { TERMINATION_MESSAGE_HOST_PATH_ANNOTATION, TERMINATION_MESSAGE_POLICY_ANNOTATION } from '../podspec/labels.js';
import { MAX_TERMINATION_MESSAGE_BYTES, terminationMessage, withTerminationMessages } from './termination-message.js';

function exited(extra: Partial<ContainerStatus>, annotations: Record<string, string>): ContainerStatus {
  return { id: 'runc://a', sandboxId: 's', name: 'c', image: 'i', imageRef: 'i', state: 'exited', createdAt: 0, exitCode: 1, reason: 'Error', annotations, ...extra };
}

test('the termination message: the file\'s last 4096 bytes; the log\'s end with FallbackToLogsOnError after a failure only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-tmsg-'));
  try {
    const file = join(dir, 'msg');
    const log = join(dir, '0.log');
    writeFileSync(log, Buffer.concat([formatCriLine(new Date(), 'stdout', 'first'), formatCriLine(new Date(), 'stderr', 'last words')]));
    writeFileSync(file, 'boom\n');
    const withFile = { [TERMINATION_MESSAGE_HOST_PATH_ANNOTATION]: file, [TERMINATION_MESSAGE_POLICY_ANNOTATION]: 'File' };
    assert.equal(await terminationMessage(exited({ logPath: log }, withFile)), 'boom\n');
    writeFileSync(file, `${'x'.repeat(10)}${'y'.repeat(MAX_TERMINATION_MESSAGE_BYTES)}`);
    assert.equal(await terminationMessage(exited({}, withFile)), 'y'.repeat(MAX_TERMINATION_MESSAGE_BYTES));

    writeFileSync(file, '');
    assert.equal(await terminationMessage(exited({ logPath: log }, withFile)), '', 'File policy: no fallback');
    const fallback = { ...withFile, [TERMINATION_MESSAGE_POLICY_ANNOTATION]: 'FallbackToLogsOnError' };
    assert.equal(await terminationMessage(exited({ logPath: log }, fallback)), 'first\nlast words\n');
    assert.equal(await terminationMessage(exited({ logPath: log, exitCode: 0, reason: 'Completed' }, fallback)), '', 'only after a failure');
    assert.equal(await terminationMessage(exited({ logPath: log }, { ...fallback, [TERMINATION_MESSAGE_HOST_PATH_ANNOTATION]: join(dir, 'gone') })), 'first\nlast words\n');

    writeFileSync(file, 'bye');
    const state = await withTerminationMessages({
      sandboxes: [],
      containers: [exited({ message: 'monitor ended' }, withFile), { ...exited({}, withFile), id: 'runc://b', state: 'running' }],
    });
    assert.equal(state.containers[0]!.message, 'monitor ended: bye', 'appended to the runtime\'s message');
    assert.equal(state.containers[1]!.message, undefined, 'a running container has none');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
