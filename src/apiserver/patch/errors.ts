// The errors the patch engines raise, with upstream's codes and messages
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go, k8s.io/apimachinery pkg/util/mergepatch).
// The shared catalogue covers 400; the three shapes it lacks are built here from `StatusError`:
// - `rejected`: patch.go answers a failed JSON patch, and the strategicpatch errors ErrNoListOfLists
//   and ErrPatchContentNotMatchRetainKeys, with NewGenericServerResponse(422, ...), whose message
//   is fixed and drops the underlying error (kept here as `cause` for logs).
// - `tooManyOperations`: NewRequestEntityTooLargeError with a free-form message.
// - `unexpected`: any other strategicpatch error reaches the client as a plain Go error, which the
//   apiserver renders as 500 with an empty reason and the error text as message.
import { errors, StatusError } from '../../api/index.js';

/** Upstream's limit on operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

export const patchErrors = {
  /** 400: the patch body has the wrong shape (not an array of operations, not an object, bad directive). */
  badRequest: (message: string): StatusError => errors.badRequest(message),

  /** 422 Invalid with upstream's fixed generic message. */
  rejected(cause?: unknown): StatusError {
    const err = new StatusError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid', details: {}, code: 422,
    });
    if (cause !== undefined) err.cause = cause;
    return err;
  },

  /** 413 for a JSON patch with more than MAX_JSON_PATCH_OPERATIONS operations. */
  tooManyOperations(count: number): StatusError {
    return new StatusError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${count}`,
      reason: 'RequestEntityTooLarge', code: 413,
    });
  },

  /** 500 with an empty reason: how upstream surfaces strategicpatch errors it does not classify. */
  unexpected(message: string): StatusError {
    return new StatusError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: '', code: 500,
    });
  },
};

// mergepatch's sentinel errors, by the status patch.go's interpretStrategicMergePatchError gives them.
export const smpErrors = {
  badJSONDoc: () => patchErrors.badRequest('invalid JSON document'),
  noListOfLists: () => patchErrors.rejected(new Error('lists of lists are not supported')),
  badPrimitiveList: () => patchErrors.badRequest('invalid patch format of primitive list'),
  badRetainKeys: () => patchErrors.badRequest('invalid patch format of retainKeys'),
  badSetElementOrder: () => patchErrors.badRequest('invalid patch format of setElementOrder list'),
};
