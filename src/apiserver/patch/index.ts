// Public surface of the patch engines: pure functions from (live object, patch body) to the
// patched object, throwing StatusErrors with upstream's codes and messages. The PATCH handler
// picks the engine with `patchTypeOf(Content-Type)`, parses the body as JSON, applies the patch,
// then decodes, defaults and validates the result like an update.
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export {
  type PatchType, PATCH_CONTENT_TYPES, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH,
  patchTypeOf, mediaTypeOf, patchContentTypesFor, unsupportedPatchType, SERVED_PATCH_TYPES,
} from './content-types.js';
export { MAX_JSON_PATCH_OPERATIONS } from './errors.js';
