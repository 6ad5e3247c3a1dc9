// events.k8s.io/v1 Event: the structured event API (regarding/note/reportingController). Stored
// in its own shape for now; upstream serves it from the same storage as core/v1 events.
import { obj, str, int32, time, microTime, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { ObjectReferenceSchema, EventSourceSchema, legacyValidateEvent } from '../core/index.js';
import { jsonEqual, validateImmutable } from '../core/field-checks.js';

export const EventSeriesSchema = obj('io.k8s.api.events.v1.EventSeries', 'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.', {
  count: int32('count is the number of occurrences in this series up to the last heartbeat time.'),
  lastObservedTime: microTime('lastObservedTime is the time when last Event from the series was seen before last heartbeat.'),
}, { required: ['count', 'lastObservedTime'] });

export const EventSchema = resourceSchema('io.k8s.api.events.v1.Event', { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
  'Event is a report of an event somewhere in the cluster.', {
    eventTime: microTime('eventTime is the time when this Event was first observed. It is required.'),
    series: EventSeriesSchema,
    reportingController: str('reportingController is the name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
    reportingInstance: str('reportingInstance is the ID of the controller instance, e.g. `kubelet-xyzf`.'),
    action: str('action is what action was taken/failed regarding to the regarding object.'),
    reason: str('reason is why the action was taken. It is human-readable.'),
    regarding: ObjectReferenceSchema,
    related: ObjectReferenceSchema,
    note: str('note is a human-readable description of the status of this operation.'),
    type: str('type is the type of this event (Normal, Warning), new types could be added in the future.'),
    deprecatedSource: EventSourceSchema,
    deprecatedFirstTimestamp: time('deprecatedFirstTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.'),
    deprecatedLastTimestamp: time('deprecatedLastTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.'),
    deprecatedCount: int32('deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.'),
  });
export type Event = Static<typeof EventSchema>;

function validateSeries(ev: Event): FieldError[] {
  if (!ev.series) return [];
  const errs: FieldError[] = [];
  if ((ev.series.count ?? 0) < 2) errs.push(fieldError.invalid('series.count', '', 'should be at least 2'));
  if (!ev.series.lastObservedTime) errs.push(fieldError.required('series.lastObservedTime', ''));
  return errs;
}

/** The fields the shared core/v1 event checks read, in their events.k8s.io/v1 places. */
function legacyFieldsOf(ev: Event, namespace: string) {
  return {
    namespace: ev.metadata?.namespace ?? namespace,
    involvedObjectNamespace: ev.regarding?.namespace ?? '',
    eventTime: ev.eventTime,
    reportingController: ev.reportingController ?? '',
    reportingInstance: ev.reportingInstance ?? '',
    action: ev.action ?? '',
    reason: ev.reason ?? '',
    message: ev.note ?? '',
  };
}

/** Upstream ValidateEventCreate for events.k8s.io/v1 (paths use upstream's internal field names). */
export function validateEventCreate(ev: Event, namespace: string): FieldError[] {
  const errs = legacyValidateEvent(legacyFieldsOf(ev, namespace));
  errs.push(...validateSeries(ev));
  if (!ev.eventTime) errs.push(fieldError.required('eventTime', ''));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(fieldError.invalid('type', '', `has invalid value: ${ev.type ?? ''}`));
  if (ev.deprecatedFirstTimestamp) errs.push(fieldError.invalid('firstTimestamp', '', 'needs to be unset'));
  if (ev.deprecatedLastTimestamp) errs.push(fieldError.invalid('lastTimestamp', '', 'needs to be unset'));
  if (ev.deprecatedCount) errs.push(fieldError.invalid('count', '', 'needs to be unset'));
  if (ev.deprecatedSource?.component || ev.deprecatedSource?.host) errs.push(fieldError.invalid('source', '', 'needs to be unset'));
  return errs;
}

/** Upstream ValidateEventUpdate for events.k8s.io/v1: everything but the series is fixed. */
export function validateEventUpdate(ev: Event, old: Event, namespace: string): FieldError[] {
  const errs = legacyValidateEvent(legacyFieldsOf(ev, namespace));
  if (!jsonEqual(ev.series, old.series)) errs.push(...validateSeries(ev));
  const fixed: [unknown, unknown, string][] = [
    [ev.regarding, old.regarding, 'involvedObject'],
    [ev.reason, old.reason, 'reason'],
    [ev.note, old.note, 'message'],
    [ev.deprecatedSource, old.deprecatedSource, 'source'],
    [ev.deprecatedFirstTimestamp, old.deprecatedFirstTimestamp, 'firstTimestamp'],
    [ev.deprecatedLastTimestamp, old.deprecatedLastTimestamp, 'lastTimestamp'],
    [ev.deprecatedCount, old.deprecatedCount, 'count'],
    [ev.type, old.type, 'type'],
    [ev.eventTime, old.eventTime, 'eventTime'],
    [ev.action, old.action, 'action'],
    [ev.related, old.related, 'related'],
    [ev.reportingController, old.reportingController, 'reportingController'],
    [ev.reportingInstance, old.reportingInstance, 'reportingInstance'],
  ];
  for (const [n, o, path] of fixed) errs.push(...validateImmutable(n, o, path));
  return errs;
}

export const eventsV1: ResourceType<Event> = {
  group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  namespaced: true, shortNames: ['ev'],
  schema: EventSchema,
  validate: (ev, ctx) => validateEventCreate(ev, ctx.namespace),
  validateUpdate: (ev, old, ctx) => validateEventUpdate(ev, old, ctx.namespace),
  // Upstream's field label conversions for events.k8s.io/v1.
  selectableFields: {
    'regarding.kind': (ev) => ev.regarding?.kind ?? '',
    'regarding.namespace': (ev) => ev.regarding?.namespace ?? '',
    'regarding.name': (ev) => ev.regarding?.name ?? '',
    'regarding.uid': (ev) => ev.regarding?.uid ?? '',
    'regarding.apiVersion': (ev) => ev.regarding?.apiVersion ?? '',
    'regarding.resourceVersion': (ev) => ev.regarding?.resourceVersion ?? '',
    'regarding.fieldPath': (ev) => ev.regarding?.fieldPath ?? '',
    reason: (ev) => ev.reason ?? '',
    reportingController: (ev) => ev.reportingController ?? '',
    type: (ev) => ev.type ?? '',
  },
};
