// Turns a non-2xx answer into the StatusError every caller catches: the server's own Status when
// the body is one, else a Status synthesised from the code (as client-go's
// newUnstructuredResponseError).
import type { Status, StatusReason } from '../api/index.js';
import { StatusError } from '../api/light.js';

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Gone', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

const MESSAGES: Record<number, string> = {
  401: 'the server has asked for the client to provide credentials',
  403: 'the server does not allow access to the requested resource',
  404: 'the server could not find the requested resource',
  409: 'the server reported a conflict',
  410: 'the server reported that the resource is gone',
  429: 'the server has received too many requests and has asked us to try again later',
  500: 'an error on the server has prevented the request from succeeding',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

export function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status' && typeof (v as { code?: unknown }).code === 'number';
}

/** The error for an answer with `status` outside 2xx and the given body text. */
export function responseError(status: number, body: string | undefined, method: string, path: string): StatusError {
  if (body) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isStatus(parsed)) return new StatusError(parsed);
    } catch {
      // not JSON: synthesised below
    }
  }
  const base = MESSAGES[status] ?? `an error on the server ("${status}") has prevented the request from succeeding`;
  const text = body?.trim();
  const message = text ? `${base} (${method} ${path}): ${text.slice(0, 512)}` : `${base} (${method} ${path})`;
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: status,
    reason: REASONS[status] ?? (status >= 500 ? 'InternalError' : ''), message,
  });
}
