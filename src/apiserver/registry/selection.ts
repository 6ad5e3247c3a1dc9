// Builds the filter a list or watch applies from `labelSelector`, `fieldSelector` and the
// namespace, with upstream's errors for bad selectors and unsupported fields.
import {
  errors, parseLabelSelector, matchesLabels, parseFieldSelector, matchesFields, checkFieldSelectorFields,
  SelectorParseError, type KubeObject, type ResourceType,
} from '../../api/index.js';
import type { CachedObject } from '../watchcache/cached-object.js';
import type { WatchFilter } from '../watchcache/resource-cache.js';

export interface Selection extends WatchFilter {
  /** True when no selector narrows the set (remainingItemCount may be reported). */
  everything: boolean;
}

/** The value of a selectable field of `obj`, or undefined if the resource does not support it. */
export function fieldValue(rt: ResourceType, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata?.name ?? '';
  if (field === 'metadata.namespace') return rt.namespaced ? obj.metadata?.namespace ?? '' : '';
  const f = rt.selectableFields?.[field];
  return f ? f(obj as never) : undefined;
}

export function buildSelection(rt: ResourceType, prefix: string, query: URLSearchParams): Selection {
  const labelText = query.get('labelSelector') ?? '';
  const fieldText = query.get('fieldSelector') ?? '';
  let labels: ReturnType<typeof parseLabelSelector> | undefined;
  let fields: ReturnType<typeof parseFieldSelector> | undefined;
  try {
    if (labelText.trim()) labels = parseLabelSelector(labelText);
    if (fieldText.trim()) {
      fields = parseFieldSelector(fieldText);
      checkFieldSelectorFields(fields, ['metadata.name', 'metadata.namespace', ...Object.keys(rt.selectableFields ?? {})]);
    }
  } catch (e) {
    if (e instanceof SelectorParseError) throw errors.badRequest(e.message);
    throw e;
  }
  const everything = !labels && !fields;
  return {
    prefix,
    everything,
    matches(o: CachedObject): boolean {
      if (everything) return true;
      const obj = o.obj;
      if (labels && !matchesLabels(labels, obj.metadata?.labels ?? {})) return false;
      if (fields && !matchesFields(fields, (name: string) => fieldValue(rt, obj, name))) return false;
      return true;
    },
  };
}
