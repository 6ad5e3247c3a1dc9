import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeExitStatus, exitStatusOf, ResizeDecoder } from './status.js';
import { decodeChannelMessage, encodeChannelMessage, selectWsProtocol } from './ws-channels.js';
import { expectedRoles } from './spdy-streams.js';
import { negotiateStreamProtocol } from '../upgrade.js';

test('exit status as upstream: Success, or NonZeroExitCode with the ExitCode cause', () => {
  assert.deepEqual(exitStatusOf({ exitCode: 0 }), { metadata: {}, status: 'Success' });
  const s = exitStatusOf({ exitCode: 3, cmd: ['sh', '-c', 'exit 3'] });
  assert.equal(s.reason, 'NonZeroExitCode');
  assert.deepEqual(s.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  assert.equal(s.message, "command terminated with non-zero exit code: command 'sh -c exit 3' exited with 3");
  const failed = exitStatusOf({ error: 'error executing command in container: no such file' });
  assert.equal(failed.reason, 'InternalError');
  assert.equal(failed.message, 'Internal error occurred: error executing command in container: no such file');
});

test('v4/v5 send JSON on the error stream; older protocols send only error text', () => {
  assert.equal(encodeExitStatus({ exitCode: 0 }, 'v4.channel.k8s.io')!.toString(), '{"metadata":{},"status":"Success"}');
  assert.equal(encodeExitStatus({ exitCode: 0 }, 'channel.k8s.io'), undefined);
  assert.match(encodeExitStatus({ exitCode: 2 }, 'v3.channel.k8s.io')!.toString(), /^command terminated with non-zero exit code/);
});

test('resize objects are decoded from a byte stream, split anywhere', () => {
  const d = new ResizeDecoder();
  assert.deepEqual(d.push('{"Width":80,"Hei'), []);
  assert.deepEqual(d.push('ght":24}{"Width":100,"Height":30}{"x"'), [{ width: 80, height: 24 }, { width: 100, height: 30 }]);
  assert.deepEqual(d.push(':1}'), []);
});

test('WebSocket channel messages, binary and base64, and the v5 close signal', () => {
  const bin = encodeChannelMessage('v5.channel.k8s.io', 1, Buffer.from('hi'));
  assert.deepEqual(bin, { data: Buffer.from([1, 0x68, 0x69]), binary: true });
  assert.deepEqual(encodeChannelMessage('base64.channel.k8s.io', 2, Buffer.from('hi')), { data: '2aGk=', binary: false });
  assert.deepEqual(decodeChannelMessage('v4.channel.k8s.io', Buffer.from([0, 0x61]), true), { channel: 0, data: Buffer.from('a') });
  assert.deepEqual(decodeChannelMessage('base64.channel.k8s.io', Buffer.from('0YQ=='), false), { channel: 0, data: Buffer.from('a') });
  assert.deepEqual(decodeChannelMessage('v5.channel.k8s.io', Buffer.from([255, 0]), true), { close: 0 });
  assert.deepEqual(decodeChannelMessage('v4.channel.k8s.io', Buffer.from([255, 0]), true), { channel: 255, data: Buffer.from([0]) });
});

test('protocol choice: the client order wins; nothing offered means the legacy protocol', () => {
  assert.equal(selectWsProtocol(new Set(['v5.channel.k8s.io', 'v4.channel.k8s.io'])), 'v5.channel.k8s.io');
  assert.equal(selectWsProtocol(new Set()), 'channel.k8s.io');
  assert.equal(selectWsProtocol(new Set(['v9.channel.k8s.io'])), false);
  const server = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
  assert.deepEqual(negotiateStreamProtocol(['v3.channel.k8s.io', 'v4.channel.k8s.io'], server, 'channel.k8s.io'), { protocol: 'v3.channel.k8s.io' });
  assert.deepEqual(negotiateStreamProtocol([], server, 'channel.k8s.io'), { protocol: 'channel.k8s.io' });
  assert.match((negotiateStreamProtocol(['v9'], server, '') as { error: string }).error, /unable to negotiate protocol: client supports \[v9\]/);
});

test('SPDY streams expected per request', () => {
  const flags = { stdin: true, stdout: true, stderr: false, tty: true };
  assert.deepEqual(expectedRoles('v4.channel.k8s.io', flags), ['error', 'stdin', 'stdout', 'resize']);
  assert.deepEqual(expectedRoles('v2.channel.k8s.io', flags), ['error', 'stdin', 'stdout']);
  assert.deepEqual(expectedRoles('v4.channel.k8s.io', { stdin: false, stdout: true, stderr: true, tty: false }), ['error', 'stdout', 'stderr']);
});
