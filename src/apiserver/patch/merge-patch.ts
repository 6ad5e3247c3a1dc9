// application/merge-patch+json (RFC 7386), as upstream applies it (evanphx/json-patch MergePatch,
// called from k8s.io/apiserver pkg/endpoints/handlers/patch.go):
// - objects merge recursively, `null` removes a key, anything else (arrays included) replaces;
// - a patch that is `null` or a scalar is 400 "Invalid JSON Patch";
// - a patch that is an array replaces the whole document (the caller's decoding then rejects it).
import { patchErrors } from './errors.js';
import { isObject, setKey, withoutNulls, type JsonObject } from './json.js';

/** RFC 7386 MergePatch(target, patch) for an object patch; `target` is owned and may be reused. */
function mergeObject(target: unknown, patch: JsonObject): JsonObject {
  const result: JsonObject = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isObject(value)) {
      setKey(result, key, mergeObject(Object.hasOwn(result, key) ? result[key] : undefined, value));
    } else {
      setKey(result, key, withoutNulls(value));
    }
  }
  return result;
}

/**
 * Applies a JSON merge patch. Returns a new value; neither argument is mutated and the result
 * shares no objects with them. Throws a 400 StatusError for a scalar or null patch.
 */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return withoutNulls(structuredClone(patch));
  if (!isObject(patch)) throw patchErrors.badRequest('Invalid JSON Patch');
  return mergeObject(structuredClone(original), structuredClone(patch));
}
