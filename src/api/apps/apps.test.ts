import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APPS_RESOURCES, deployments, replicaSets, daemonSets, statefulSets, controllerRevisions, type Deployment, type StatefulSet, type DaemonSet, type ReplicaSet } from './index.js';
import { formatFieldError } from '../field-errors.js';
import type { KubeObject, ResourceType } from '../resource.js';

const ctx = { namespace: 'default' };
const template = (labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = {}) =>
  ({ metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...spec } });

function make<T extends KubeObject>(rt: ResourceType<T>, spec: Record<string, unknown>): T {
  const obj = { apiVersion: 'apps/v1', kind: rt.kind, metadata: { name: 'web', namespace: 'default' }, spec } as unknown as T;
  rt.defaults!(obj);
  return obj;
}

function messages<T extends KubeObject>(rt: ResourceType<T>, obj: T, old?: T): string[] {
  return (old ? rt.validateUpdate!(obj, old, ctx) : rt.validate!(obj, ctx)).map(formatFieldError).sort();
}

test('apps resources are declared as upstream', () => {
  assert.deepEqual(APPS_RESOURCES.map((r) => [r.plural, r.kind, r.shortNames ?? [], r.categories ?? [], (r.subresources ?? []).map((s) => s.name)]), [
    ['deployments', 'Deployment', ['deploy'], ['all'], ['status', 'scale']],
    ['replicasets', 'ReplicaSet', ['rs'], ['all'], ['status', 'scale']],
    ['daemonsets', 'DaemonSet', ['ds'], ['all'], ['status']],
    ['statefulsets', 'StatefulSet', ['sts'], ['all'], ['status', 'scale']],
    ['controllerrevisions', 'ControllerRevision', [], [], []],
  ]);
  for (const r of APPS_RESOURCES) assert.equal(r.group, 'apps');
  const scale = deployments.subresources!.find((s) => s.name === 'scale')!;
  assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
});

test('deployment defaults', () => {
  const d = make(deployments, { selector: { matchLabels: { app: 'web' } }, template: template() });
  assert.equal(d.spec!.replicas, 1);
  assert.deepEqual(d.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec!.revisionHistoryLimit, 10);
  assert.equal(d.spec!.progressDeadlineSeconds, 600);
  const pod = d.spec!.template!.spec!;
  assert.equal(pod.restartPolicy, 'Always');
  assert.equal(pod.containers![0].imagePullPolicy, 'IfNotPresent');
  // SetDefaults_Pod fields never materialise in templates.
  assert.equal(pod.enableServiceLinks, undefined);
  assert.deepEqual(messages(deployments, d), []);
  const limited = make(deployments, { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, { hostNetwork: true, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] }) });
  const c = limited.spec!.template!.spec!.containers![0];
  assert.equal(c.resources!.requests, undefined);
  assert.equal(c.ports![0].hostPort, undefined);
  assert.deepEqual(messages(deployments, limited), []);
  const recreate = make(deployments, { selector: { matchLabels: { app: 'web' } }, template: template(), strategy: { type: 'Recreate' } });
  assert.deepEqual(recreate.spec!.strategy, { type: 'Recreate' });
  deployments.prepareForCreate!(d);
  assert.deepEqual(d.status, {});
});

test('replicaset, daemonset and statefulset defaults', () => {
  const rs = make(replicaSets, { selector: { matchLabels: { app: 'web' } }, template: template() });
  assert.equal(rs.spec!.replicas, 1);
  assert.deepEqual(messages(replicaSets, rs), []);
  const ds = make(daemonSets, { selector: { matchLabels: { app: 'web' } }, template: template() });
  assert.deepEqual(ds.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec!.revisionHistoryLimit, 10);
  assert.deepEqual(messages(daemonSets, ds), []);
  const sts = make(statefulSets, {
    selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 'web',
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  });
  assert.equal(sts.spec!.replicas, 1);
  assert.equal(sts.spec!.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(sts.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(sts.spec!.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(sts.spec!.revisionHistoryLimit, 10);
  assert.equal(sts.spec!.volumeClaimTemplates![0].spec!.volumeMode, 'Filesystem');
  assert.equal(sts.spec!.volumeClaimTemplates![0].status!.phase, 'Pending');
  assert.deepEqual(messages(statefulSets, sts), []);
  const onDelete = make(statefulSets, { selector: { matchLabels: { app: 'web' } }, template: template(), updateStrategy: { type: 'OnDelete' } });
  assert.deepEqual(onDelete.spec!.updateStrategy, { type: 'OnDelete' });
});

test('invalid workloads give upstream paths and messages', () => {
  const sel = { matchLabels: { app: 'web' } };
  const cases: [ResourceType<any>, Record<string, unknown>, string[]][] = [
    [deployments, { template: template() }, ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    [deployments, { selector: { matchLabels: { app: 'other' } }, template: template() }, ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    [deployments, { selector: {}, template: template() }, ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
    [deployments, { selector: sel, template: template(), replicas: -1 }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [deployments, { selector: sel, template: template({ app: 'web' }, { restartPolicy: 'Never' }) }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    [deployments, { selector: sel, template: template({ app: 'web' }, { containers: [{ name: 'web' }] }) }, ['spec.template.spec.containers[0].image: Required value']],
    [deployments, { selector: sel, template: template(), strategy: { type: 'Recreate', rollingUpdate: {} } }, ['spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'']],
    [deployments, { selector: sel, template: template(), strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }, ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']],
    [deployments, { selector: sel, template: template(), strategy: { rollingUpdate: { maxUnavailable: '150%' } } }, ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
    [deployments, { selector: sel, template: template(), minReadySeconds: 700 }, ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']],
    [replicaSets, { selector: sel, template: template({ app: 'web' }, { activeDeadlineSeconds: 5 }) }, ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported']],
    [daemonSets, { template: template() }, ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    [daemonSets, { selector: sel, template: template(), updateStrategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } }, ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']],
    [daemonSets, { selector: sel, template: template(), updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } }, ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']],
    [statefulSets, { selector: sel, template: template(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } }, ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0']],
    [statefulSets, { selector: sel, template: template({ app: 'web' }, { activeDeadlineSeconds: 3 }) }, ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported']],
    [daemonSets, { selector: {}, template: template() }, ['spec.selector: Invalid value: {}: empty selector is invalid for daemonset']],
    [daemonSets, { selector: sel, template: template(), updateStrategy: { type: 'Sometimes' } }, ['spec.updateStrategy: Unsupported value: {"type":"Sometimes"}: supported values: "RollingUpdate", "OnDelete"']],
    [statefulSets, { selector: sel, template: template(), podManagementPolicy: 'Fast' }, ['spec.podManagementPolicy: Invalid value: "Fast": must be \'OrderedReady\' or \'Parallel\'']],
    [statefulSets, { selector: sel, template: template(), persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }, ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"']],
  ];
  for (const [rt, spec, want] of cases) assert.deepEqual(messages(rt, make(rt, spec)), [...want].sort(), `${rt.kind} ${JSON.stringify(spec)}`);
});

test('selectors are immutable; statefulset spec mostly immutable', () => {
  for (const rt of [deployments, replicaSets, daemonSets] as ResourceType<Deployment | ReplicaSet | DaemonSet>[]) {
    const old = make(rt, { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', tier: 'x' }) });
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { app: 'web', tier: 'x' } };
    assert.deepEqual(messages(rt, next, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable'], rt.kind);
    const scaled = structuredClone(old);
    (scaled.spec as { replicas?: number }).replicas = 5;
    if (rt !== daemonSets) assert.deepEqual(messages(rt, scaled, old), [], rt.kind);
  }
  const old = make(statefulSets, { selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 'web' });
  const ok: StatefulSet = structuredClone(old);
  ok.spec!.replicas = 3;
  ok.spec!.template!.spec!.containers![0].image = 'nginx:1.26';
  assert.deepEqual(messages(statefulSets, ok, old), []);
  const bad: StatefulSet = structuredClone(old);
  bad.spec!.serviceName = 'other';
  assert.deepEqual(messages(statefulSets, bad, old), ['spec: Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden']);
});

test('replicasets select on status.replicas; controllerrevision data is immutable', () => {
  const rs = make(replicaSets, { selector: { matchLabels: { app: 'web' } }, template: template() });
  replicaSets.prepareForCreate!(rs);
  assert.equal(replicaSets.selectableFields!['status.replicas'](rs), '0');
  const cr = { metadata: { name: 'web-1' }, data: { spec: {} }, revision: 1 };
  assert.deepEqual(messages(controllerRevisions, cr), []);
  assert.deepEqual(messages(controllerRevisions, { metadata: { name: 'x' }, revision: -1 }), ['data: Required value: data is mandatory', 'revision: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(messages(controllerRevisions, { ...cr, data: { spec: { x: 1 } } }, cr), ['data: Invalid value: {"spec":{"x":1}}: field is immutable']);
});

test('a StatefulSet template may mount its volumeClaimTemplates by name; other unknown mounts stay invalid', () => {
  const sel = { matchLabels: { app: 'web' } };
  const mounting = (name: string) => template({ app: 'web' }, { containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name, mountPath: '/data' }] }] });
  const claim = { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  assert.deepEqual(messages(statefulSets, make(statefulSets, { selector: sel, template: mounting('www'), volumeClaimTemplates: [claim] })), []);
  assert.deepEqual(messages(statefulSets, make(statefulSets, { selector: sel, template: mounting('other'), volumeClaimTemplates: [claim] })), ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "other"']);
});
