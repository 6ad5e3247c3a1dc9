import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsV1, type Event } from './event.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);
const valid = (): Event => ({
  metadata: { name: 'e1', namespace: 'default' },
  eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'capstan.io/kubelet', reportingInstance: 'kubelet-n1',
  action: 'Pulling', reason: 'Pulling', type: 'Normal', regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
});

test('events.k8s.io/v1 create: valid event passes; strict rules as upstream', () => {
  assert.deepEqual(eventsV1.validate!(valid(), ctx), []);
  const cases: [Partial<Event>, string[]][] = [
    [{ type: 'Info' }, ['type: Invalid value: "": has invalid value: Info']],
    [{ series: { count: 1, lastObservedTime: '2026-01-01T00:00:00.000000Z' } }, ['series.count: Invalid value: "": should be at least 2']],
    [{ deprecatedCount: 3 }, ['count: Invalid value: "": needs to be unset']],
    [{ action: 'x'.repeat(129) }, ['action: Invalid value: "": can have at most 128 characters']],
    [{ regarding: { kind: 'Pod', name: 'p', namespace: 'other' } }, []],
  ];
  for (const [patch, want] of cases) assert.deepEqual(show(eventsV1.validate!({ ...valid(), ...patch }, ctx)), want, JSON.stringify(patch));
});

test('events.k8s.io/v1 update: only the series may change', () => {
  const old = valid();
  const series = { ...valid(), series: { count: 2, lastObservedTime: '2026-01-01T00:01:00.000000Z' } };
  assert.deepEqual(eventsV1.validateUpdate!(series, old, ctx), []);
  assert.deepEqual(show(eventsV1.validateUpdate!({ ...valid(), note: 'changed' }, old, ctx)), ['message: Invalid value: "changed": field is immutable']);
  assert.equal(eventsV1.selectableFields!['regarding.kind']!(old), 'Pod');
  assert.equal(eventsV1.selectableFields!.reportingController!(old), 'capstan.io/kubelet');
});
