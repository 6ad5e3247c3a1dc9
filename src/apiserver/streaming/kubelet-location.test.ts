import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { kubeletAddressOf, logPath, nodeNameOf, portForwardPath, resolveContainer, streamPath, validatePodLogOptions } from './kubelet-location.js';

const pod = (containers: string[], init: string[] = [], nodeName: string | null = 'n1') => ({
  metadata: { name: 'web', namespace: 'ns' },
  spec: { nodeName: nodeName ?? undefined, containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
}) as KubeObject;

test('the container: named, the only one, or a 400 naming the choices', () => {
  assert.equal(resolveContainer(pod(['a']), null), 'a');
  assert.equal(resolveContainer(pod(['a', 'b'], ['i']), 'i'), 'i');
  assert.throws(() => resolveContainer(pod(['a', 'b']), null), { message: 'a container name must be specified for pod web, choose one of: [a b]' });
  assert.throws(() => resolveContainer(pod(['a', 'b'], ['i']), ''), { message: 'a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [i]' });
  assert.throws(() => resolveContainer(pod(['a']), 'x'), (e: { status: { code: number; message: string } }) => e.status.code === 400 && e.status.message === 'container x is not valid for pod web');
});

test('a pod without a node has no kubelet to ask', () => {
  assert.equal(nodeNameOf(pod(['a'])), 'n1');
  assert.throws(() => nodeNameOf(pod(['a'], [], null)), { message: 'pod web does not have a host assigned' });
});

test('the kubelet address: InternalIP first, the daemon endpoint port, 10250 by default', () => {
  const node = (addresses: { type: string; address: string }[], port?: number) => ({ metadata: { name: 'n1' }, status: { addresses, daemonEndpoints: { kubeletEndpoint: { Port: port } } } }) as KubeObject;
  assert.deepEqual(kubeletAddressOf(node([{ type: 'Hostname', address: 'h' }, { type: 'InternalIP', address: '10.0.0.2' }], 11250)), { host: '10.0.0.2', port: 11250 });
  assert.deepEqual(kubeletAddressOf(node([{ type: 'Hostname', address: 'h' }])), { host: 'h', port: 10250 });
  assert.throws(() => kubeletAddressOf(node([])), /no address/);
});

test('kubelet paths carry the options as upstream sends them', () => {
  const q = new URLSearchParams('container=a&follow=true&tailLines=5&timestamps=true&limitBytes=10&sinceTime=2024-01-01T00:00:00.5Z&previous=false');
  assert.equal(logPath(pod(['a']), 'a', q), '/containerLogs/ns/web/a?follow=true&timestamps=true&tailLines=5&limitBytes=10&sinceTime=2024-01-01T00%3A00%3A00Z');
  assert.equal(streamPath('exec', pod(['a']), 'a', new URLSearchParams('command=sh&command=-c&command=echo+hi&stdout=true&tty=true')), '/exec/ns/web/a?stdout=1&tty=1&command=sh&command=-c&command=echo+hi');
  assert.equal(streamPath('attach', pod(['a']), 'a', new URLSearchParams('stdin=true&stdout=true')), '/attach/ns/web/a?stdin=1&stdout=1');
  assert.throws(() => streamPath('exec', pod(['a']), 'a', new URLSearchParams('stdout=true')), /at least 1 command/);
  assert.throws(() => streamPath('attach', pod(['a']), 'a', new URLSearchParams('')), /at least 1 of stdin, stdout, stderr/);
  assert.equal(portForwardPath(pod(['a']), new URLSearchParams('ports=80&ports=443')), '/portForward/ns/web?port=80,443');
  assert.throws(() => portForwardPath(pod(['a']), new URLSearchParams('ports=0')), /invalid port/);
});

test('PodLogOptions validation', () => {
  assert.deepEqual(validatePodLogOptions(new URLSearchParams('tailLines=0&limitBytes=1&sinceSeconds=1')), []);
  const errs = validatePodLogOptions(new URLSearchParams('tailLines=-1&limitBytes=0&sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z'));
  assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), [
    'tailLines: Invalid value: -1: must be greater than or equal to 0',
    'limitBytes: Invalid value: 0: must be greater than 0',
    ': Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
  ]);
});
