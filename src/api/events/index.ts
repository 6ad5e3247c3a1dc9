// events.k8s.io: resource types, schemas and types.
import type { ResourceType } from '../resource.js';
import { eventsV1 } from './event.js';

export const EVENTS_RESOURCES: readonly ResourceType<any>[] = [eventsV1];

export { eventsV1, EventSchema as EventsV1EventSchema, EventSeriesSchema as EventsV1EventSeriesSchema, validateEventCreate, validateEventUpdate } from './event.js';
export type { Event as EventsV1Event } from './event.js';
