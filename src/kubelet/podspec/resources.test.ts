import { test } from 'node:test';
import assert from 'node:assert/strict';
import { milliCPUToShares, milliCPUToQuota, containerResources, podQOSClass, podCgroupParent, containerOOMScoreAdj } from './resources.js';
import { testPod } from './test-fixtures.js';
import type { Container } from './spec-types.js';

test('MilliCPUToShares: 1024 per CPU, at least 2, at most 262144 (upstream table)', () => {
  for (const [milli, shares] of [[0, 2], [1, 2], [5, 5], [100, 102], [250, 256], [1000, 1024], [1500, 1536], [256000, 262144], [300000, 262144]]) {
    assert.equal(milliCPUToShares(milli!), shares, `${milli}m`);
  }
});

test('milliCPUToQuota: none without a limit, at least 1000 µs', () => {
  for (const [milli, quota] of [[0, 0], [5, 1000], [9, 1000], [10, 1000], [200, 20000], [500, 50000], [1000, 100000], [1500, 150000]]) {
    assert.equal(milliCPUToQuota(milli!), quota, `${milli}m`);
  }
});

test('container resources: shares from the request, or the limit without a request; quota and memory from limits', () => {
  const c = (resources: Container['resources']): Container => ({ name: 'c', resources });
  assert.deepEqual(containerResources(c({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } })),
    { cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000, memoryLimitInBytes: 128 * 1024 * 1024 });
  assert.deepEqual(containerResources(c({ limits: { cpu: '2' } })), { cpuShares: 2048, cpuPeriod: 100000, cpuQuota: 200000 });
  assert.deepEqual(containerResources(c(undefined)), { cpuShares: 2, cpuPeriod: 100000 });
  assert.deepEqual(containerResources(c({ requests: { cpu: '100m' } })), { cpuShares: 102, cpuPeriod: 100000 });
});

const guaranteed = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

test('QoS class and cgroup parent (init containers count)', () => {
  const cases: [Partial<NonNullable<ReturnType<typeof testPod>['spec']>>, string, string][] = [
    [{ containers: [{ name: 'a' }] }, 'BestEffort', '/kubepods/besteffort/poduid-1'],
    [{ containers: [{ name: 'a', resources: guaranteed }] }, 'Guaranteed', '/kubepods/poduid-1'],
    [{ containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] }, 'Burstable', '/kubepods/burstable/poduid-1'],
    [{ containers: [{ name: 'a', resources: guaranteed }, { name: 'b' }] }, 'Burstable', '/kubepods/burstable/poduid-1'],
    [{ initContainers: [{ name: 'i', resources: { requests: { memory: '1Mi' } } }], containers: [{ name: 'a' }] }, 'Burstable', '/kubepods/burstable/poduid-1'],
    [{ initContainers: [{ name: 'i' }], containers: [{ name: 'a', resources: guaranteed }] }, 'Burstable', '/kubepods/burstable/poduid-1'],
    [{ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } } }] }, 'Burstable', '/kubepods/burstable/poduid-1'],
    [{ containers: [{ name: 'a', resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '1' } } }] }, 'BestEffort', '/kubepods/besteffort/poduid-1'],
  ];
  for (const [spec, qos, parent] of cases) {
    const pod = testPod(spec);
    assert.equal(podQOSClass(pod), qos, JSON.stringify(spec));
    assert.equal(podCgroupParent(pod), parent);
  }
  const recorded = testPod({ containers: [{ name: 'a' }] });
  recorded.status = { qosClass: 'Guaranteed' };
  assert.equal(podQOSClass(recorded), 'Guaranteed');
});

test('oom_score_adj as upstream GetContainerOOMScoreAdjust', () => {
  const cap = 4 * 1024 ** 3;
  const burst = (memory: string) => testPod({ containers: [{ name: 'a', resources: { requests: { memory } } }] });
  const adj = (pod: ReturnType<typeof testPod>) => containerOOMScoreAdj(pod, pod.spec!.containers![0]!, cap);
  assert.equal(adj(testPod({ containers: [{ name: 'a', resources: guaranteed }] })), -997);
  assert.equal(adj(testPod()), 1000);
  assert.equal(adj(burst('1Gi')), 750);
  assert.equal(adj(burst('4Gi')), 3);
  assert.equal(adj(burst('8Gi')), 3);
  assert.equal(adj(burst('1')), 999);
  assert.equal(adj(testPod({ containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] })), 999);
  const critical = testPod({ priorityClassName: 'system-node-critical', priority: 2000001000, containers: [{ name: 'a' }] });
  assert.equal(adj(critical), -997);
  const sidecar = testPod({
    initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { memory: '100Mi' } } }],
    containers: [{ name: 'a', resources: { requests: { memory: '2Gi' } } }],
  });
  assert.equal(containerOOMScoreAdj(sidecar, sidecar.spec!.initContainers![0]!, cap), 500);
});
