// The files of configMap, secret, downwardAPI and projected volumes (upstream MakePayload of each
// plugin and downwardapi.CollectData). Pure over the objects the caller fetched; errors carry
// upstream's messages. Secret data arrives base64-encoded, as the API serves it.
import type { ConfigMap, Pod, Secret } from '../../api/index.js';
import type { Volume } from '../podspec/spec-types.js';
import { extractFieldPathAsString, podContainerResourceValue } from '../podspec/field-path.js';
import type { Payload } from './atomic-writer.js';

export const DEFAULT_MODE = 0o644;

interface KeyToPath { key?: string; path?: string; mode?: number }

/** Upstream configmap MakePayload. `cm` undefined stands for an optional ConfigMap that is missing. */
export function configMapPayload(cm: ConfigMap | undefined, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  const data = cm?.data ?? {};
  const binary = (cm as { binaryData?: Record<string, string> } | undefined)?.binaryData ?? {};
  const out: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) out.set(k, { data: Buffer.from(v), mode: defaultMode });
    for (const [k, v] of Object.entries(binary)) out.set(k, { data: Buffer.from(v, 'base64'), mode: defaultMode });
    return out;
  }
  for (const it of items) {
    const key = it.key ?? '';
    let bytes: Buffer;
    if (data[key] !== undefined) bytes = Buffer.from(data[key]!);
    else if (binary[key] !== undefined) bytes = Buffer.from(binary[key]!, 'base64');
    else if (optional) continue;
    else throw new Error(`configmap references non-existent config key: ${key}`);
    out.set(it.path ?? '', { data: bytes, mode: it.mode ?? defaultMode });
  }
  return out;
}

/** Upstream secret MakePayload. */
export function secretPayload(secret: Secret | undefined, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  const data = secret?.data ?? {};
  const out: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) out.set(k, { data: Buffer.from(v, 'base64'), mode: defaultMode });
    return out;
  }
  for (const it of items) {
    const v = data[it.key ?? ''];
    if (v === undefined) {
      if (optional) continue;
      throw new Error(`references non-existent secret key: ${it.key ?? ''}`);
    }
    out.set(it.path ?? '', { data: Buffer.from(v, 'base64'), mode: it.mode ?? defaultMode });
  }
  return out;
}

type DownwardItem = NonNullable<NonNullable<Volume['downwardAPI']>['items']>[number];

/** Upstream downwardapi CollectData: every item resolved; failures aggregated into one error. */
export function downwardAPIPayload(pod: Pod, items: DownwardItem[], defaultMode: number, allocatable: Record<string, string>): Payload {
  const out: Payload = new Map();
  const errors: string[] = [];
  for (const it of items) {
    const p = (it.path ?? '').replace(/\/+$/, '');
    let value = '';
    try {
      if (it.fieldRef) value = extractFieldPathAsString(pod, it.fieldRef.fieldPath ?? '');
      else if (it.resourceFieldRef) {
        const r = it.resourceFieldRef;
        value = podContainerResourceValue(pod, r.containerName ?? '', r.resource ?? '', r.divisor, allocatable);
      }
    } catch (err) {
      errors.push((err as Error).message);
      continue;
    }
    out.set(p, { data: Buffer.from(value), mode: it.mode ?? defaultMode });
  }
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return out;
}
