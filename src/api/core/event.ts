// core/v1 Event: the legacy event shape most tools (kubectl describe, client-go's recorder) still
// write. The events.k8s.io/v1 form lives in src/api/events. Old clients patch count/lastTimestamp
// on existing events, so updates through core/v1 are not restricted.
import { obj, str, int32, time, microTime, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { isQualifiedName } from '../meta/names.js';
import { ObjectReferenceSchema } from './object-reference.js';

export const EventSourceSchema = obj('io.k8s.api.core.v1.EventSource', 'EventSource contains information for an event.', {
  component: str('Component from which the event is generated.'),
  host: str('Node name on which the event is generated.'),
});

export const EventSeriesSchema = obj('io.k8s.api.core.v1.EventSeries', 'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.', {
  count: int32('Number of occurrences in this series up to the last heartbeat time'),
  lastObservedTime: microTime('Time of the last occurrence observed'),
});

export const EventSchema = resourceSchema('io.k8s.api.core.v1.Event', { group: '', version: 'v1', kind: 'Event' },
  'Event is a report of an event somewhere in the cluster.', {
    involvedObject: ObjectReferenceSchema,
    reason: str('This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    message: str('A human-readable description of the status of this operation.'),
    source: EventSourceSchema,
    firstTimestamp: time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
    count: int32('The number of times this event has occurred.'),
    type: str('Type of this event (Normal, Warning), new types could be added in the future'),
    eventTime: microTime('Time when this Event was first observed.'),
    series: EventSeriesSchema,
    action: str('What action was taken/failed regarding to the Regarding object.'),
    related: ObjectReferenceSchema,
    reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
    reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.'),
  });
export type Event = Static<typeof EventSchema>;

/** The fields upstream's legacy event validation reads, in internal (core) naming. */
export interface EventView {
  namespace: string;
  involvedObjectNamespace: string;
  eventTime?: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
}

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 } as const;

/**
 * Upstream legacyValidateEvent, run for events of either API group: old-style events must live
 * in their object's namespace (or `default` for cluster-scoped objects); new-style events (with
 * eventTime) must name their reporter, action and reason.
 */
export function legacyValidateEvent(ev: EventView): FieldError[] {
  const errs: FieldError[] = [];
  const mismatch = () => fieldError.invalid('involvedObject.namespace', ev.involvedObjectNamespace, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (ev.involvedObjectNamespace === '') {
      if (ev.namespace !== '' && ev.namespace !== 'default') errs.push(mismatch());
    } else if (ev.namespace !== ev.involvedObjectNamespace) errs.push(mismatch());
    return errs;
  }
  if (ev.involvedObjectNamespace === '' && ev.namespace !== 'default' && ev.namespace !== 'kube-system') errs.push(mismatch());
  if (!ev.reportingController) errs.push(fieldError.required('reportingController', ''));
  for (const m of isQualifiedName(ev.reportingController)) errs.push(fieldError.invalid('reportingController', ev.reportingController, m));
  const lengthChecks: [keyof typeof LIMITS, boolean][] = [['reportingInstance', true], ['action', true], ['reason', true], ['message', false]];
  for (const [field, required] of lengthChecks) {
    const value = ev[field];
    if (required && !value) errs.push(fieldError.required(field, ''));
    if (value.length > LIMITS[field]) errs.push(fieldError.invalid(field, '', `can have at most ${LIMITS[field]} characters`));
  }
  return errs;
}

export const events: ResourceType<Event> = {
  group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  namespaced: true, shortNames: ['ev'],
  nameValidation: 'subdomain',
  schema: EventSchema,
  validate: (ev, ctx) => legacyValidateEvent({
    namespace: ev.metadata?.namespace ?? ctx.namespace,
    involvedObjectNamespace: ev.involvedObject?.namespace ?? '',
    eventTime: ev.eventTime,
    reportingController: ev.reportingComponent ?? '',
    reportingInstance: ev.reportingInstance ?? '',
    action: ev.action ?? '',
    reason: ev.reason ?? '',
    message: ev.message ?? '',
  }),
  selectableFields: {
    'involvedObject.kind': (ev) => ev.involvedObject?.kind ?? '',
    'involvedObject.namespace': (ev) => ev.involvedObject?.namespace ?? '',
    'involvedObject.name': (ev) => ev.involvedObject?.name ?? '',
    'involvedObject.uid': (ev) => ev.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (ev) => ev.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (ev) => ev.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (ev) => ev.involvedObject?.fieldPath ?? '',
    reason: (ev) => ev.reason ?? '',
    reportingComponent: (ev) => ev.reportingComponent ?? '',
    source: (ev) => ev.source?.component ?? '',
    type: (ev) => ev.type ?? '',
  },
};
