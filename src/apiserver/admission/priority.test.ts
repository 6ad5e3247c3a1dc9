// Priority admission against an in-memory set of PriorityClasses: upstream
// plugin/pkg/admission/priority/admission_test.go (TestPodAdmission, TestPriorityClassAdmission).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, pods, priorityClasses, type KubeObject, type PriorityClass, type ResourceType } from '../../api/index.js';
import type { AdmissionAttributes, Operation } from './chain.js';
import { priorityAdmission } from './priority.js';

const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass =>
  ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, preemptionPolicy: 'PreemptLowerPriority', ...extra }) as PriorityClass;

function plugin(classes: PriorityClass[]) {
  return priorityAdmission({
    get: async (name) => classes.find((c) => c.metadata?.name === name),
    list: async () => classes,
  });
}

const user = { name: 'admin', groups: ['system:masters'] };

function podAttrs(spec: Record<string, unknown>, operation: Operation = 'CREATE', oldSpec?: Record<string, unknown>): AdmissionAttributes {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } } as KubeObject;
  const oldObject = oldSpec ? ({ metadata: { name: 'p' }, spec: oldSpec } as KubeObject) : undefined;
  return { operation, rt: pods as ResourceType, namespace: 'default', name: 'p', subresource: '', object, oldObject, user, dryRun: false };
}

const spec = (a: AdmissionAttributes) => a.object!.spec as { priority?: number; priorityClassName?: string; preemptionPolicy?: string };

async function rejects(p: Promise<void>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStatusError(e, 'Forbidden'), String(e));
    assert.equal(e.message, message);
    assert.equal(e.code, 403);
    return true;
  });
}

test('a pod with a known class gets its value and preemption policy', async () => {
  const a = podAttrs({ priorityClassName: 'high' });
  await plugin([pc('high', 1000, { preemptionPolicy: 'Never' })]).admit!(a);
  assert.equal(spec(a).priority, 1000);
  assert.equal(spec(a).preemptionPolicy, 'Never');
});

test('an unknown class is forbidden with upstream message', async () => {
  await rejects(plugin([]).admit!(podAttrs({ priorityClassName: 'nope' })) as Promise<void>, 'pods "p" is forbidden: no PriorityClass with name nope was found');
});

test('without a class name the globalDefault class applies (lowest value if several), else 0', async () => {
  const a = podAttrs({});
  await plugin([pc('other', 5), pc('def-b', 200, { globalDefault: true }), pc('def-a', 100, { globalDefault: true })]).admit!(a);
  assert.equal(spec(a).priority, 100);
  assert.equal(spec(a).priorityClassName, 'def-a');
  const b = podAttrs({});
  await plugin([pc('other', 5)]).admit!(b);
  assert.equal(spec(b).priority, 0);
  assert.equal(spec(b).priorityClassName, undefined);
  assert.equal(spec(b).preemptionPolicy, 'PreemptLowerPriority');
});

test('a user-provided priority that differs from the class value is forbidden; an equal one is accepted', async () => {
  await rejects(plugin([pc('high', 1000)]).admit!(podAttrs({ priorityClassName: 'high', priority: 5 })) as Promise<void>,
    'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name');
  await rejects(plugin([]).admit!(podAttrs({ priority: 7 })) as Promise<void>,
    'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name');
  const ok = podAttrs({ priorityClassName: 'high', priority: 1000 });
  await plugin([pc('high', 1000)]).admit!(ok);
  assert.equal(spec(ok).priority, 1000);
});

test('a preemption policy that differs from the class is forbidden', async () => {
  await rejects(plugin([pc('high', 10, { preemptionPolicy: 'Never' })]).admit!(podAttrs({ priorityClassName: 'high', preemptionPolicy: 'PreemptLowerPriority' })) as Promise<void>,
    'pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name');
});

test('an update keeps the priority set on create; other resources and subresources are ignored', async () => {
  const a = podAttrs({ priorityClassName: 'gone' }, 'UPDATE', { priorityClassName: 'gone', priority: 42, preemptionPolicy: 'Never' });
  await plugin([]).admit!(a);
  assert.equal(spec(a).priority, 42);
  assert.equal(spec(a).preemptionPolicy, 'Never');
  const status = { ...podAttrs({ priorityClassName: 'nope' }), subresource: 'status' };
  await plugin([]).admit!(status);
  assert.equal(spec(status).priority, undefined);
});

test('only one globalDefault PriorityClass may exist', async () => {
  const attrs = (operation: Operation, obj: PriorityClass): AdmissionAttributes =>
    ({ operation, rt: priorityClasses as ResourceType, namespace: '', name: obj.metadata!.name!, subresource: '', object: obj as KubeObject, user, dryRun: false });
  const existing = [pc('def', 1, { globalDefault: true })];
  await rejects(plugin(existing).validate!(attrs('CREATE', pc('second', 2, { globalDefault: true }))) as Promise<void>,
    'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass def is marked as default. Only one default can exist');
  await rejects(plugin([...existing, pc('other', 3)]).validate!(attrs('UPDATE', pc('other', 3, { globalDefault: true }))) as Promise<void>,
    'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass def is marked as default. Only one default can exist');
  await plugin(existing).validate!(attrs('UPDATE', pc('def', 1, { globalDefault: true })));
  await plugin([]).validate!(attrs('CREATE', pc('first', 1, { globalDefault: true })));
  await plugin(existing).validate!(attrs('CREATE', pc('plain', 1)));
});
