// Cells of every dedicated printer for sample objects, table-driven after upstream's
// printers_test.go (TestPrintDeployment, TestPrintReplicaSet, TestPrintDaemonSet, TestPrintJob,
// TestPrintCronJob, TestPrintService, TestPrintNodeStatus, TestPrintEvent, TestPrintEndpointSlice, …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './registry.js';
import { genericPrinter } from './generic.js';

const now = new Date('2024-05-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2024-05-01T11:58:00Z', ...extra });
const template = { spec: { containers: [{ name: 'fake-container1', image: 'fake-image' }, { name: 'fake-container2', image: 'fake-image' }] } };

interface Case { name: string; group: string; resource: string; obj: Record<string, unknown>; want: unknown[] }

const cases: Case[] = [
  { name: 'deployment', group: 'apps', resource: 'deployments',
    obj: { metadata: meta('test1'), spec: { replicas: 5, template, selector: { matchLabels: { foo: 'bar' } } }, status: { replicas: 10, updatedReplicas: 2, availableReplicas: 1, readyReplicas: 1 } },
    want: ['test1', '1/5', 2, 1, '2m', 'fake-container1,fake-container2', 'fake-image,fake-image', 'foo=bar'] },
  { name: 'replicaset', group: 'apps', resource: 'replicasets',
    obj: { metadata: meta('test1'), spec: { replicas: 5, template, selector: { matchLabels: { foo: 'bar' } } }, status: { replicas: 5, readyReplicas: 2 } },
    want: ['test1', 5, 5, 2, '2m', 'fake-container1,fake-container2', 'fake-image,fake-image', 'foo=bar'] },
  { name: 'daemonset', group: 'apps', resource: 'daemonsets',
    obj: { metadata: meta('test1'), spec: { template: { spec: { ...template.spec, nodeSelector: { disk: 'ssd' } } }, selector: { matchLabels: { foo: 'bar' } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 0 } },
    want: ['test1', 3, 2, 1, 2, 0, 'disk=ssd', '2m', 'fake-container1,fake-container2', 'fake-image,fake-image', 'foo=bar'] },
  { name: 'statefulset', group: 'apps', resource: 'statefulsets',
    obj: { metadata: meta('test1'), spec: { replicas: 5, template }, status: { readyReplicas: 2 } },
    want: ['test1', '2/5', '2m', 'fake-container1,fake-container2', 'fake-image,fake-image'] },
  { name: 'job running, completions set', group: 'batch', resource: 'jobs',
    obj: { metadata: meta('job1'), spec: { completions: 2, template, selector: { matchLabels: { 'job-label': 'job-lable-value' } } }, status: { succeeded: 1, startTime: '2024-05-01T11:59:00Z' } },
    want: ['job1', 'Running', '1/2', '60s', '2m', 'fake-container1,fake-container2', 'fake-image,fake-image', 'job-label=job-lable-value'] },
  { name: 'job complete, parallelism without completions', group: 'batch', resource: 'jobs',
    obj: { metadata: meta('job2'), spec: { parallelism: 3, template }, status: { succeeded: 0, startTime: '2024-05-01T10:00:00Z', completionTime: '2024-05-01T10:03:20Z', conditions: [{ type: 'Complete', status: 'True' }] } },
    want: ['job2', 'Complete', '0/1 of 3', '3m20s', '2m', 'fake-container1,fake-container2', 'fake-image,fake-image', '<none>'] },
  { name: 'job terminating', group: 'batch', resource: 'jobs',
    obj: { metadata: meta('job3', { deletionTimestamp: '2024-05-01T11:59:00Z' }), spec: {} },
    want: ['job3', 'Terminating', '0/1', '', '2m', '', '', '<none>'] },
  { name: 'cronjob', group: 'batch', resource: 'cronjobs',
    obj: { metadata: meta('cj'), spec: { schedule: '0/5 * * * ?', suspend: false, jobTemplate: { spec: { template, selector: { matchLabels: { a: 'b' } } } } },
      status: { active: [{}], lastScheduleTime: '2024-05-01T11:50:00Z' } },
    want: ['cj', '0/5 * * * ?', '<none>', 'False', 1, '10m', '2m', 'fake-container1,fake-container2', 'fake-image,fake-image', 'a=b'] },
  { name: 'cronjob never scheduled, suspend unset', group: 'batch', resource: 'cronjobs',
    obj: { metadata: meta('cj'), spec: { schedule: '@daily', timeZone: 'Europe/Paris' } },
    want: ['cj', '@daily', 'Europe/Paris', '<unset>', 0, '<none>', '2m', '', '', '<none>'] },
  { name: 'service ClusterIP', group: '', resource: 'services',
    obj: { metadata: meta('svc'), spec: { type: 'ClusterIP', clusterIPs: ['10.9.8.7'], ports: [{ protocol: 'TCP', port: 2233 }], selector: { app: 'web' } } },
    want: ['svc', 'ClusterIP', '10.9.8.7', '<none>', '2233/TCP', '2m', 'app=web'] },
  { name: 'service NodePort with external IPs', group: '', resource: 'services',
    obj: { metadata: meta('svc'), spec: { type: 'NodePort', clusterIPs: ['10.9.8.7'], externalIPs: ['1.2.3.4'], ports: [{ protocol: 'UDP', port: 53, nodePort: 30053 }, { protocol: 'TCP', port: 80 }] } },
    want: ['svc', 'NodePort', '10.9.8.7', '1.2.3.4', '53:30053/UDP,80/TCP', '2m', '<none>'] },
  { name: 'service LoadBalancer pending', group: '', resource: 'services',
    obj: { metadata: meta('svc'), spec: { type: 'LoadBalancer', clusterIPs: ['10.9.8.7'], ports: [] } },
    want: ['svc', 'LoadBalancer', '10.9.8.7', '<pending>', '<none>', '2m', '<none>'] },
  { name: 'service LoadBalancer with ingress and external IPs', group: '', resource: 'services',
    obj: { metadata: meta('svc'), spec: { type: 'LoadBalancer', clusterIPs: ['10.9.8.7'], externalIPs: ['5.6.7.8'], ports: [{ protocol: 'TCP', port: 80, nodePort: 31000 }] },
      status: { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { hostname: 'lb.example.com' }] } } },
    want: ['svc', 'LoadBalancer', '10.9.8.7', '2.3.4.5,lb.example.com,5.6.7.8', '80:31000/TCP', '2m', '<none>'] },
  { name: 'service ExternalName', group: '', resource: 'services',
    obj: { metadata: meta('svc'), spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    want: ['svc', 'ExternalName', '<none>', 'db.example.com', '<none>', '2m', '<none>'] },
  { name: 'node ready with roles', group: '', resource: 'nodes',
    obj: { metadata: meta('n1', { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'edge' } }),
      status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'ExternalIP', address: '1.1.1.1' }],
        nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'runc://1.1.5' } } },
    want: ['n1', 'Ready', 'control-plane,edge,master', '2m', 'v1.31.0', '10.0.0.1', '1.1.1.1', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'runc://1.1.5'] },
  { name: 'node cordoned and not ready', group: '', resource: 'nodes',
    obj: { metadata: meta('n2'), spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    want: ['n2', 'NotReady,SchedulingDisabled', '<none>', '2m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'] },
  { name: 'node without conditions', group: '', resource: 'nodes',
    obj: { metadata: meta('n3') },
    want: ['n3', 'Unknown', '<none>', '2m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'] },
  { name: 'core event', group: '', resource: 'events',
    obj: { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{web}' }, reason: 'Pulled', message: ' Image pulled \n', type: 'Normal',
      count: 3, firstTimestamp: '2024-05-01T11:00:00Z', lastTimestamp: '2024-05-01T11:59:30Z', source: { component: 'kubelet', host: 'n1' } },
    want: ['30s', 'Normal', 'Pulled', 'pod/web-0', 'spec.containers{web}', 'kubelet, n1', 'Image pulled', '60m', 3, 'e1'] },
  { name: 'core event from the new API: eventTime, series, reporting controller', group: '', resource: 'events',
    obj: { metadata: { name: 'e2' }, involvedObject: { kind: 'Node' }, reason: 'R', type: 'Warning', eventTime: '2024-05-01T11:00:00Z',
      series: { count: 7, lastObservedTime: '2024-05-01T11:59:00Z' }, reportingComponent: 'capstan-scheduler' },
    want: ['60s', 'Warning', 'R', 'node', '', 'capstan-scheduler', '', '60m', 7, 'e2'] },
  { name: 'events.k8s.io event', group: 'events.k8s.io', resource: 'events',
    obj: { metadata: { name: 'e3' }, regarding: { kind: 'Pod', name: 'p' }, note: 'hi', reason: 'R', type: 'Normal', eventTime: '2024-05-01T11:59:00Z', reportingController: 'c', reportingInstance: 'i' },
    want: ['60s', 'Normal', 'R', 'pod/p', '', 'c, i', 'hi', '60s', 1, 'e3'] },
  { name: 'namespace', group: '', resource: 'namespaces', obj: { metadata: meta('default'), status: { phase: 'Active' } }, want: ['default', 'Active', '2m'] },
  { name: 'configmap counts data and binaryData', group: '', resource: 'configmaps', obj: { metadata: meta('cm'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, want: ['cm', 3, '2m'] },
  { name: 'secret', group: '', resource: 'secrets', obj: { metadata: meta('s'), type: 'Opaque', data: { a: 'AA==' } }, want: ['s', 'Opaque', 1, '2m'] },
  { name: 'serviceaccount', group: '', resource: 'serviceaccounts', obj: { metadata: meta('default') }, want: ['default', 0, '2m'] },
  { name: 'endpoints with more than 3 addresses', group: '', resource: 'endpoints',
    obj: { metadata: meta('ep'), subsets: [{ addresses: [{ ip: '1.1.1.1' }, { ip: '2.2.2.2' }], ports: [{ port: 80 }, { port: 443 }] }, { addresses: [{ ip: '3.3.3.3' }] }] },
    want: ['ep', '1.1.1.1:80,2.2.2.2:80,1.1.1.1:443 + 2 more...', '2m'] },
  { name: 'endpoints without subsets', group: '', resource: 'endpoints', obj: { metadata: meta('ep') }, want: ['ep', '<none>', '2m'] },
  { name: 'endpointslice', group: 'discovery.k8s.io', resource: 'endpointslices',
    obj: { metadata: meta('es'), addressType: 'IPv4', ports: [{ port: 80 }, { name: 'http' }, {}], endpoints: [{ addresses: ['10.1.2.3'] }, { addresses: ['10.1.2.4'] }] },
    want: ['es', 'IPv4', '80,http,*', '10.1.2.3,10.1.2.4', '2m'] },
  { name: 'endpointslice empty', group: 'discovery.k8s.io', resource: 'endpointslices', obj: { metadata: meta('es'), addressType: 'IPv6' }, want: ['es', 'IPv6', '<unset>', '<unset>', '2m'] },
  { name: 'ingress', group: 'networking.k8s.io', resource: 'ingresses',
    obj: { metadata: meta('ing'), spec: { ingressClassName: 'nginx', rules: [{ host: '' }, { host: 'a.com' }, { host: 'b.com' }, { host: 'c.com' }, { host: 'd.com' }], tls: [{}] },
      status: { loadBalancer: { ingress: [{ ip: '2.3.4.5' }] } } },
    want: ['ing', 'nginx', 'a.com,b.com,c.com + 2 more...', '2.3.4.5', '80, 443', '2m'] },
  { name: 'ingress without hosts', group: 'networking.k8s.io', resource: 'ingresses', obj: { metadata: meta('ing'), spec: {} }, want: ['ing', '<none>', '*', '', '80', '2m'] },
  { name: 'persistentvolume', group: '', resource: 'persistentvolumes',
    obj: { metadata: meta('pv'), spec: { capacity: { storage: '4Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'local' }, status: { phase: 'Bound' } },
    want: ['pv', '4Gi', 'RWO', 'Retain', 'Bound', 'default/data', 'local', '<unset>', '', '2m', '<unset>'] },
  { name: 'persistentvolumeclaim bound', group: '', resource: 'persistentvolumeclaims',
    obj: { metadata: meta('data'), spec: { volumeName: 'pv', storageClassName: 'local', volumeMode: 'Filesystem' }, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '4Gi' } } },
    want: ['data', 'Bound', 'pv', '4Gi', 'RWO', 'local', '<unset>', '2m', 'Filesystem'] },
  { name: 'persistentvolumeclaim pending and deleting', group: '', resource: 'persistentvolumeclaims',
    obj: { metadata: meta('data', { deletionTimestamp: '2024-05-01T11:59:00Z', annotations: { 'volume.beta.kubernetes.io/storage-class': 'beta' } }), spec: { storageClassName: 'local' }, status: { phase: 'Pending' } },
    want: ['data', 'Terminating', '', '', '', 'beta', '<unset>', '2m', '<unset>'] },
  { name: 'lease', group: 'coordination.k8s.io', resource: 'leases', obj: { metadata: meta('l'), spec: { holderIdentity: 'node-1' } }, want: ['l', 'node-1', '2m'] },
  { name: 'priorityclass', group: 'scheduling.k8s.io', resource: 'priorityclasses',
    obj: { metadata: meta('high'), value: 1000, globalDefault: true, preemptionPolicy: 'Never' }, want: ['high', 1000, true, '2m', 'Never'] },
  { name: 'poddisruptionbudget', group: 'policy', resource: 'poddisruptionbudgets',
    obj: { metadata: meta('pdb'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }, want: ['pdb', '50%', 'N/A', 1, '2m'] },
  { name: 'horizontalpodautoscaler', group: 'autoscaling', resource: 'horizontalpodautoscalers',
    obj: { metadata: meta('hpa'), spec: { scaleTargetRef: { kind: 'ReplicationController', name: 'some-rc' }, minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }, { type: 'Pods', pods: { target: { averageValue: '100m' } } }, { type: 'Resource', resource: { name: 'memory', target: { averageValue: '1Gi' } } }] },
      status: { currentReplicas: 4, currentMetrics: [{ resource: { current: { averageUtilization: 50 } } }] } },
    want: ['hpa', 'ReplicationController/some-rc', 'cpu: 50%/80%, <unknown>/100m + 1 more...', '2', 10, 4, '2m'] },
  { name: 'horizontalpodautoscaler without metrics', group: 'autoscaling', resource: 'horizontalpodautoscalers',
    obj: { metadata: meta('hpa'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } },
    want: ['hpa', 'Deployment/web', '<none>', '<unset>', 3, 0, '2m'] },
  { name: 'unknown resource uses NAME AGE', group: 'example.com', resource: 'widgets', obj: { metadata: meta('w') }, want: ['w', '2m'] },
];

for (const c of cases) {
  test(`${c.group || 'core'}/${c.resource}: ${c.name}`, () => {
    const printer = printerFor(c.group, c.resource);
    const cells = printer.cells(c.obj, now);
    assert.deepEqual(cells, c.want);
    assert.equal(cells.length, printer.columns.length, 'one cell per column');
  });
}

test('column names and wide priorities follow upstream', () => {
  const names = (group: string, resource: string) => printerFor(group, resource).columns.map((c) => (c.priority ? `(${c.name})` : c.name)).join(' ');
  assert.equal(names('apps', 'deployments'), 'Name Ready Up-to-date Available Age (Containers) (Images) (Selector)');
  assert.equal(names('', 'nodes'), 'Name Status Roles Age Version (Internal-IP) (External-IP) (OS-Image) (Kernel-Version) (Container-Runtime)');
  assert.equal(names('', 'services'), 'Name Type Cluster-IP External-IP Port(s) Age (Selector)');
  assert.equal(names('', 'events'), 'Last Seen Type Reason Object (Subobject) (Source) Message (First Seen) (Count) (Name)');
  assert.equal(names('apps', 'replicasets'), 'Name Desired Current Ready Age (Containers) (Images) (Selector)');
  assert.equal(names('', 'namespaces'), 'Name Status Age');
  assert.equal(printerFor('example.com', 'widgets'), genericPrinter);
  for (const group of ['', 'apps']) {
    const nameCol = printerFor(group, group ? 'deployments' : 'pods').columns[0]!;
    assert.deepEqual([nameCol.name, nameCol.format], ['Name', 'name']);
  }
});
