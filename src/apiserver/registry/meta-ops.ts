// Server-owned metadata: what the API server sets on create and keeps on update, as upstream's
// rest.BeforeCreate / BeforeUpdate do.
import { randomUUID, randomInt } from 'node:crypto';
import type { KubeObject, ResourceType } from '../../api/index.js';

/** Upstream's alphabet for generated names (no vowels, no look-alikes). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATE_NAME_PREFIX = 58;

export function generateNameSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fills system metadata of a new object (mutates). */
export function fillCreateMeta(obj: KubeObject, rt: ResourceType, namespace: string, now: Date): void {
  const meta = (obj.metadata ??= {});
  if (rt.namespaced) meta.namespace = namespace;
  else delete meta.namespace;
  if (!meta.name && meta.generateName) {
    meta.name = meta.generateName.slice(0, MAX_GENERATE_NAME_PREFIX) + generateNameSuffix();
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.managedFields;
  if (rt.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
}

/**
 * Carries the fields a client may not change on update from the stored object (mutates `obj`):
 * uid, creationTimestamp, deletion fields, generation (recomputed by the caller), namespace.
 */
export function keepSystemMeta(obj: KubeObject, old: KubeObject): void {
  const meta = (obj.metadata ??= {});
  const o = old.metadata ?? {};
  meta.uid = o.uid;
  meta.creationTimestamp = o.creationTimestamp;
  if (o.namespace !== undefined) meta.namespace = o.namespace;
  if (o.deletionTimestamp !== undefined) meta.deletionTimestamp = o.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  if (o.generation !== undefined) meta.generation = o.generation;
  else delete meta.generation;
  delete meta.selfLink;
  delete meta.managedFields;
  if (meta.generateName === undefined && o.generateName !== undefined) meta.generateName = o.generateName;
}

/** Everything but metadata and status: what a generation change tracks. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
