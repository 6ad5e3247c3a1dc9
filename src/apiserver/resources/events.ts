// Events expire: each is stored with a lease of upstream's --event-ttl (1 h by default), so the
// store deletes them (with watch events) without any controller.
import type { ResourceHooks } from '../registry/context.js';

export const DEFAULT_EVENT_TTL_SECONDS = 3600;

export function eventHooks(ttlSeconds = DEFAULT_EVENT_TTL_SECONDS): ResourceHooks {
  return { ttlSeconds };
}
