// application/json-patch+json (RFC 6902), as upstream's PATCH handler applies it
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go, applyJSPatch):
// - a body that does not decode as a list of operations is 400 BadRequest;
// - more than 10000 operations is 413;
// - any failure while applying (unknown op, missing path, failed `test`, index out of range)
//   is 422 Invalid with the generic "the server rejected our request…" message.
import jsonpatch from 'fast-json-patch';
import { patchErrors, MAX_JSON_PATCH_OPERATIONS } from './errors.js';
import { jsonKindName } from './go-format.js';

type Operation = Parameters<typeof jsonpatch.applyPatch>[1][number];

/** Checks the body decodes as upstream's `[]Operation` (a JSON array of JSON objects). */
function decodeOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw patchErrors.badRequest(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (op !== null && (typeof op !== 'object' || Array.isArray(op))) {
      throw patchErrors.badRequest(`json: cannot unmarshal ${jsonKindName(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) throw patchErrors.tooManyOperations(patch.length);
  return patch as Operation[];
}

/**
 * Applies an RFC 6902 JSON patch. Returns a new document; neither `original` nor `patch` is
 * mutated, and the result shares no objects with them. Throws a StatusError (400, 413 or 422).
 */
export function applyJsonPatch(original: unknown, patch: unknown): unknown {
  const ops = decodeOperations(patch);
  const document = structuredClone(original);
  try {
    // validate: rejects malformed operations and unresolvable paths before touching the document;
    // banPrototypeModifications: `__proto__` paths are refused.
    return jsonpatch.applyPatch(document, structuredClone(ops), true, true, true).newDocument;
  } catch (e) {
    throw patchErrors.rejected(e);
  }
}
