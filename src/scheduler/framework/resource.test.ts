import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePodResourceRequest, DEFAULT_MEMORY_REQUEST, Resource } from './resource.js';
import { NodeInfo } from './node-info.js';
import { HostPortInfo } from './host-ports.js';
import { makeNode, makePod } from '../testdata/scenario.js';

const c = (name: string, requests?: Record<string, string>, restartPolicy?: string) =>
  ({ name, image: 'x', ...(requests ? { resources: { requests } } : {}), ...(restartPolicy ? { restartPolicy } : {}) });

// Upstream noderesources/fit.go computePodResourceRequest doc example: IC1 2/1G, IC2 2/3G, C1 2/1G, C2 1/1G → 3/3G.
test('computePodResourceRequest: containers summed, init containers maxed', () => {
  const pod = makePod({ name: 'p', spec: {
    initContainers: [c('ic1', { cpu: '2', memory: '1G' }), c('ic2', { cpu: '2', memory: '3G' })],
    containers: [c('c1', { cpu: '2', memory: '1G' }), c('c2', { cpu: '1', memory: '1G' })],
  } });
  const r = computePodResourceRequest(pod);
  assert.equal(r.milliCPU, 3000);
  assert.equal(r.memory, 3e9);
});

// Upstream resourcehelper PodRequests sidecar cases (restartable init containers keep running).
test('computePodResourceRequest: sidecars add to the containers and to later init steps', () => {
  const pod = makePod({ name: 'p', spec: {
    initContainers: [c('sidecar', { cpu: '1' }, 'Always'), c('init', { cpu: '3' })],
    containers: [c('main', { cpu: '1' })],
  } });
  // steps: sidecar 1; init 3 + sidecar 1 = 4; running: main 1 + sidecar 1 = 2 → max 4
  assert.equal(computePodResourceRequest(pod).milliCPU, 4000);
});

test('computePodResourceRequest: overhead, extended resources and scoring defaults', () => {
  const pod = makePod({ name: 'p', spec: {
    containers: [c('a', { 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' }), c('b', { cpu: '0' })],
    overhead: { cpu: '250m', memory: '120Mi' },
  } });
  const r = computePodResourceRequest(pod);
  assert.equal(r.milliCPU, 250);
  assert.equal(r.memory, 120 * 1024 * 1024);
  assert.equal(r.scalar('example.com/gpu'), 2);
  assert.equal(r.scalar('hugepages-2Mi'), 4 * 1024 * 1024);
  const nz = computePodResourceRequest(pod, { nonZero: true });
  // container a gets 100m (missing); b asked 0 explicitly and keeps 0; plus overhead.
  assert.equal(nz.milliCPU, 100 + 0 + 250);
  assert.equal(nz.memory, 2 * DEFAULT_MEMORY_REQUEST + 120 * 1024 * 1024);
});

test('NodeInfo: addPod and removePod are inverses', () => {
  const ni = new NodeInfo(makeNode({ name: 'n', allocatable: { cpu: '2', 'example.com/x': '3' } }));
  assert.equal(ni.allocatable.milliCPU, 2000);
  assert.equal(ni.allocatable.allowedPodNumber, 110);
  const p = makePod({ name: 'a', requests: { cpu: '500m', 'example.com/x': '1' }, spec: {
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: {} }] } },
    containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '500m', 'example.com/x': '1' } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
  } });
  const gen = ni.generation;
  ni.addPod(p);
  assert.ok(ni.generation > gen);
  assert.equal(ni.requested.milliCPU, 500);
  assert.equal(ni.nonZeroRequested.memory, DEFAULT_MEMORY_REQUEST);
  assert.equal(ni.podsWithAffinity.length, 1);
  assert.equal(ni.podsWithRequiredAntiAffinity.length, 1);
  assert.ok(ni.usedPorts.checkConflict('', 'TCP', 80));
  const copy = ni.clone();
  assert.equal(ni.removePod(p), true);
  assert.equal(ni.removePod(p), false);
  assert.deepEqual([ni.requested.milliCPU, ni.requested.memory, ni.requested.scalar('example.com/x'), ni.nonZeroRequested.milliCPU, ni.nonZeroRequested.memory], [0, 0, 0, 0, 0]);
  assert.equal(ni.pods.length + ni.podsWithAffinity.length + ni.usedPorts.size, 0);
  assert.equal(copy.pods.length, 1, 'a clone is independent');
  assert.equal(copy.requested.milliCPU, 500);
});

test('HostPortInfo: wildcard and specific addresses, counted', () => {
  const h = new HostPortInfo();
  h.add('127.0.0.1', 'TCP', 8080);
  assert.ok(h.checkConflict('0.0.0.0', 'TCP', 8080));
  assert.ok(h.checkConflict('127.0.0.1', '', 8080));
  assert.ok(!h.checkConflict('127.0.0.2', 'TCP', 8080));
  assert.ok(!h.checkConflict('127.0.0.1', 'UDP', 8080));
  h.add('', 'UDP', 53);
  assert.ok(h.checkConflict('10.0.0.1', 'UDP', 53));
  h.add('', 'UDP', 53);
  h.remove('0.0.0.0', 'UDP', 53);
  assert.ok(h.checkConflict('10.0.0.1', 'UDP', 53), 'still used by the second pod');
  h.remove('', 'UDP', 53);
  assert.ok(!h.checkConflict('10.0.0.1', 'UDP', 53));
  assert.ok(!h.checkConflict('', 'TCP', 0));
});

test('Resource.setMax and isZero', () => {
  const a = Resource.fromList({ cpu: '1', 'example.com/a': '1' });
  a.setMax(Resource.fromList({ memory: '1Ki', 'example.com/a': '3' }));
  assert.deepEqual([a.milliCPU, a.memory, a.scalar('example.com/a')], [1000, 1024, 3]);
  assert.ok(new Resource().isZero());
  assert.ok(!a.isZero());
});
