// The one catalogue of API errors. Every failure the API server returns is a `Status` built here,
// with upstream's reason, code and message wording (k8s.io/apimachinery/pkg/api/errors).
import { type FieldError, formatFieldError } from './field-errors.js';

export type StatusReason =
  | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid'
  | 'ServerTimeout' | 'Timeout' | 'TooManyRequests' | 'BadRequest' | 'MethodNotAllowed' | 'NotAcceptable'
  | 'RequestEntityTooLarge' | 'UnsupportedMediaType' | 'InternalError' | 'Expired' | 'ServiceUnavailable' | '';

export interface StatusCause { reason?: string; message?: string; field?: string }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A group and resource, as used in messages: `pods`, `deployments.apps`. */
export interface GroupResource { group: string; resource: string }

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** Thrown anywhere below the HTTP layer; the server renders `status` as the response. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
  }
  get code(): number { return this.status.code; }
  get reason(): StatusReason | undefined { return this.status.reason; }
}

function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export function isStatusError(e: unknown, reason?: StatusReason): e is StatusError {
  return e instanceof StatusError && (reason === undefined || e.status.reason === reason);
}

export const errors = {
  notFound: (gr: GroupResource, name: string) =>
    failure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, { name, group: gr.group || undefined, kind: gr.resource }),
  alreadyExists: (gr: GroupResource, name: string) =>
    failure(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, { name, group: gr.group || undefined, kind: gr.resource }),
  /** Optimistic-concurrency failure: the object changed since the client read it. */
  conflict: (gr: GroupResource, name: string, detail = 'the object has been modified; please apply your changes to the latest version and try again') =>
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${detail}`, { name, group: gr.group || undefined, kind: gr.resource }),
  /** 422 with field causes. `kind` is the qualified kind: `Pod`, `Deployment.apps`. */
  invalid: (groupKind: { group: string; kind: string }, name: string, causes: FieldError[]) => {
    const qk = groupKind.group ? `${groupKind.kind}.${groupKind.group}` : groupKind.kind;
    const parts = causes.map(formatFieldError);
    const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    return failure(422, 'Invalid', `${qk} "${name}" is invalid: ${list}`, {
      name, group: groupKind.group || undefined, kind: groupKind.kind,
      causes: causes.map((c) => ({ reason: c.type, message: c.message, field: c.field })),
    });
  },
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  methodNotSupported: (gr: GroupResource, verb: string) =>
    failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`, { group: gr.group || undefined, kind: gr.resource }),
  methodNotAllowed: () => failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
  /** 410 for a resourceVersion that has been compacted away (watch, list, continue). */
  expired: (message: string) => failure(410, 'Expired', message),
  gone: (message: string) => failure(410, 'Gone', message),
  unauthorized: (message = 'Unauthorized') => failure(401, 'Unauthorized', message),
  forbidden: (message: string, details?: StatusDetails) => failure(403, 'Forbidden', message, details),
  requestEntityTooLarge: (limit: number) =>
    failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  unsupportedMediaType: (contentType: string, accepted: readonly string[]) =>
    failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format "${contentType}" - accepted media types include: ${accepted.join(', ')}`),
  notAcceptable: (message = 'only the following media types are accepted: application/json, application/yaml') =>
    failure(406, 'NotAcceptable', message),
  /** A path that matches nothing the server serves. */
  pathNotFound: () => failure(404, 'NotFound', 'the server could not find the requested resource'),
  timeout: (message: string, retryAfterSeconds = 1) => failure(504, 'Timeout', message, { retryAfterSeconds }),
  tooManyRequests: (message: string, retryAfterSeconds = 1) => failure(429, 'TooManyRequests', message, { retryAfterSeconds }),
  serviceUnavailable: (message: string) => failure(503, 'ServiceUnavailable', message),
  internal: (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
};

/** The `Status` returned with 200 by deletes of collections and other success-only replies. */
export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
