import { test } from 'node:test';
import assert from 'node:assert/strict';
import { priorityClasses, type PriorityClass } from './priority-class.js';

const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('priorityclass defaults, reserved names, immutable value', () => {
  const pc: PriorityClass = { metadata: { name: 'high' }, value: 1000 };
  priorityClasses.defaults!(pc);
  assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(priorityClasses.validate!(pc, { namespace: '' }), []);
  const cases: [PriorityClass, string[]][] = [
    [{ metadata: { name: 'system-custom' }, value: 5 }, ['metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-custom is not a known system priority class']],
    [{ metadata: { name: 'system-node-critical' }, value: 2000001000 }, []],
    [{ metadata: { name: 'huge' }, value: 1000000001 }, ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']],
    [{ metadata: { name: 'p' }, value: 1, preemptionPolicy: 'Sometimes' }, ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "Never", "PreemptLowerPriority"']],
  ];
  for (const [p, want] of cases) assert.deepEqual(show(priorityClasses.validate!(p, { namespace: '' })), want);
  assert.deepEqual(show(priorityClasses.validateUpdate!({ ...pc, value: 2000 }, pc, { namespace: '' })), ['value: Forbidden: may not be changed in an update.']);
});
