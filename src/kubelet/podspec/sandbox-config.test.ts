import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxConfigFor, podPortMappings } from './sandbox-config.js';
import { containerLabels, containerAnnotations, containerHash } from './labels.js';
import { testNode, testPod } from './test-fixtures.js';

test('sandbox config of a pod', () => {
  const pod = testPod({
    containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353, hostIP: '127.0.0.1' }, { containerPort: 9000 }] }],
    securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
  }, { labels: { app: 'web' }, annotations: { note: 'x' } });
  assert.deepEqual(sandboxConfigFor(pod, testNode(), 1), {
    name: 'web', namespace: 'shop', uid: 'uid-1', attempt: 1,
    labels: { app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'uid-1' },
    annotations: { note: 'x' },
    logDirectory: '/var/log/pods/shop_web_uid-1',
    dnsConfig: { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'example.com', 'corp.example.com'], options: ['ndots:5'] },
    portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }, { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1' }],
    namespaceOptions: { network: 'pod', pid: 'container', ipc: 'pod' },
    cgroupParent: '/kubepods/besteffort/poduid-1',
    hostname: 'web',
    sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
  });
  const host = sandboxConfigFor(testPod({ hostNetwork: true }), testNode());
  assert.equal(host.hostname, undefined);
  assert.deepEqual(host.namespaceOptions, { network: 'node', pid: 'container', ipc: 'pod' });
});

test('port mappings: a port name used twice in a container counts once', () => {
  const pod = testPod({ containers: [{ name: 'a', ports: [{ name: 'http', containerPort: 80, hostPort: 80 }, { name: 'http', containerPort: 81, hostPort: 81 }] }, { name: 'b', ports: [{ name: 'http', containerPort: 82, hostPort: 82 }] }] });
  assert.deepEqual(podPortMappings(pod).map((m) => m.hostPort), [80, 82]);
});

test('container labels and annotations', () => {
  const pod = testPod({ terminationGracePeriodSeconds: 30 });
  const c = { name: 'app', image: 'busybox', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 80 }] };
  assert.deepEqual(containerLabels(pod, c), { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'uid-1', 'io.kubernetes.container.name': 'app' });
  assert.deepEqual(containerAnnotations(pod, c, 3), {
    'io.kubernetes.container.hash': containerHash(c), 'io.kubernetes.container.restartCount': '3',
    'io.kubernetes.container.terminationMessagePath': '/dev/termination-log', 'io.kubernetes.container.terminationMessagePolicy': 'File',
    'io.kubernetes.pod.terminationGracePeriod': '30', 'io.kubernetes.container.ports': '[{"containerPort":80}]',
  });
  assert.notEqual(containerHash(c), containerHash({ ...c, image: 'nginx' }));
});
