// The PATCH media types the API server accepts, and how a request's Content-Type selects the
// patch engine. Called by the PATCH handler before it reads the body.
import { errors, type StatusError } from '../../api/index.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** Accepted PATCH content types, in the order upstream lists them in 415 messages. */
export const PATCH_CONTENT_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];

/** The patch types this server applies today (server-side apply is not served yet). */
export const SERVED_PATCH_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];

const TYPES: Record<string, PatchType> = {
  [JSON_PATCH]: 'json',
  [MERGE_PATCH]: 'merge',
  [STRATEGIC_MERGE_PATCH]: 'strategic',
  [APPLY_PATCH]: 'apply',
};

/** Media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi >= 0 ? contentType.slice(0, semi) : contentType).trim().toLowerCase();
}

/** The patch engine a Content-Type header selects; undefined for anything else (answer 415). */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  if (!contentType) return undefined;
  const type = mediaTypeOf(contentType);
  return Object.hasOwn(TYPES, type) ? TYPES[type] : undefined;
}

/**
 * Content types accepted for a resource. Upstream refuses strategic merge patch where there is no
 * Go struct to drive it (custom resources); pass `strategic: false` for those.
 */
export function patchContentTypesFor(opts: { strategic: boolean }): readonly string[] {
  return opts.strategic ? PATCH_CONTENT_TYPES : PATCH_CONTENT_TYPES.filter((t) => t !== STRATEGIC_MERGE_PATCH);
}

/** 415 for a PATCH whose Content-Type is not one of `accepted`. */
export function unsupportedPatchType(contentType: string, accepted: readonly string[] = PATCH_CONTENT_TYPES): StatusError {
  return errors.unsupportedMediaType(contentType, accepted);
}
