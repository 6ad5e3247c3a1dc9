import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeOf, streamFlagsOf } from './kubelet-server.js';

test('routes of the kubelet API, with and without the pod uid', () => {
  assert.deepEqual(routeOf('/healthz'), { kind: 'healthz' });
  assert.deepEqual(routeOf('/pods'), { kind: 'pods' });
  assert.deepEqual(routeOf('/containerLogs/ns/p/c'), { kind: 'containerLogs', namespace: 'ns', pod: 'p', container: 'c' });
  assert.deepEqual(routeOf('/exec/ns/p/c'), { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c' });
  assert.deepEqual(routeOf('/attach/ns/p/uid-1/c'), { kind: 'attach', namespace: 'ns', pod: 'p', container: 'c' });
  assert.deepEqual(routeOf('/portForward/ns/p'), { kind: 'portForward', namespace: 'ns', pod: 'p' });
  assert.deepEqual(routeOf('/portForward/ns/p/uid-1'), { kind: 'portForward', namespace: 'ns', pod: 'p' });
  assert.deepEqual(routeOf('/containerLogs/ns/p'), { kind: 'none' });
  const h = () => undefined;
  assert.deepEqual(routeOf('/stats/summary', { '/stats/summary': h }), { kind: 'handler', handler: h });
});

test('stream flags as upstream NewOptions: a TTY drops stderr; at least one stream; exec needs a command', () => {
  assert.deepEqual(streamFlagsOf(new URLSearchParams('command=ls&stdout=1&stderr=1&tty=1'), 'exec'), { stdin: false, stdout: true, stderr: false, tty: true });
  assert.deepEqual(streamFlagsOf(new URLSearchParams('stdin=true&stdout=true'), 'attach'), { stdin: true, stdout: true, stderr: false, tty: false });
  assert.equal(streamFlagsOf(new URLSearchParams('command=ls'), 'exec'), 'you must specify at least 1 of stdin, stdout, stderr');
  assert.equal(streamFlagsOf(new URLSearchParams('stdout=1'), 'exec'), 'you must specify a command');
});
