// Building responses: JSON/YAML bodies, Status errors, Warning headers.
import { errors, isStatusError, type Status, StatusError } from '../../api/index.js';
import type { ApiResponse } from './types.js';
import { serialize } from './negotiate.js';

/** A `Warning` header value as upstream writes it: `299 - "text"`. */
export function warningHeaders(warnings: string[]): Record<string, string[]> {
  if (!warnings.length) return {};
  return { warning: [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w.replace(/[\r\n]+/g, ' '))}`) };
}

export function jsonResponse(status: number, body: unknown, warnings: string[] = [], format: 'json' | 'yaml' = 'json'): ApiResponse {
  if (typeof body === 'string' && format === 'json') {
    return { status, headers: { 'content-type': 'application/json', ...warningHeaders(warnings) }, body };
  }
  const s = serialize(typeof body === 'string' ? JSON.parse(body) : body, format);
  return { status, headers: { 'content-type': s.contentType, ...warningHeaders(warnings) }, body: s.body };
}

export function statusResponse(status: Status, warnings: string[] = []): ApiResponse {
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...warningHeaders(warnings) };
  if (status.details?.retryAfterSeconds && (status.code === 429 || status.code === 503 || status.code === 504)) {
    headers['retry-after'] = String(status.details.retryAfterSeconds);
  }
  return { status: status.code, headers, body: JSON.stringify(status) };
}

/** Any thrown value as a Status response; unexpected errors become 500 without crashing. */
export function errorResponse(e: unknown, warnings: string[] = []): ApiResponse {
  if (isStatusError(e)) return statusResponse(e.status, warnings);
  const err = e instanceof Error ? e : new Error(String(e));
  return statusResponse(errors.internal(err.message).status, warnings);
}

export { StatusError };
