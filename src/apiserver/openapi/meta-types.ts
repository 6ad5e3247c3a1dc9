// The io.k8s.apimachinery.pkg.apis.meta.v1 types that the API itself speaks (Status, DeleteOptions,
// WatchEvent, APIResourceList, Patch) and every OpenAPI document includes, as upstream does.
import {
  obj, str, int32, int64, bool, list, withMeta, anyValue, apiVersionField, kindField, ListMeta, type TSchema,
} from '../../api/index.js';

export interface GroupVersion { group: string; version: string }

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const STATUS = `${META}Status`;
export const DELETE_OPTIONS = `${META}DeleteOptions`;
export const WATCH_EVENT = `${META}WatchEvent`;
export const API_RESOURCE_LIST = `${META}APIResourceList`;
export const PATCH = `${META}Patch`;

const gvk = (gvs: GroupVersion[], kind: string) => ({ 'x-kubernetes-group-version-kind': gvs.map((gv) => ({ group: gv.group, kind, version: gv.version })) });

const StatusCause = obj(`${META}StatusCause`,
  'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.', {
    field: str('The field of the resource that has caused this error, as named by its JSON serialization. May include dot and postfix notation for nested attributes. Arrays are zero-indexed.  Fields may appear more than once in an array of causes due to fields having multiple errors. Optional.'),
    message: str('A human-readable description of the cause of the error.  This field may be presented as-is to a reader.'),
    reason: str('A machine-readable description of the cause of the error. If this value is empty there is no information available.'),
  });

const StatusDetails = obj(`${META}StatusDetails`,
  'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set. Clients must ignore fields that do not match the defined type of each attribute, and should assume that any attribute may be empty, invalid, or under defined.', {
    causes: list(StatusCause, 'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.', { listType: 'atomic' }),
    group: str('The group attribute of the resource associated with the status StatusReason.'),
    kind: str('The kind attribute of the resource associated with the status StatusReason. On some operations may differ from the requested resource Kind.'),
    name: str('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
    retryAfterSeconds: int32('If specified, the time in seconds before the operation should be retried. Some errors may indicate the client must take an alternate action - for those errors this field may indicate how long to wait before taking the alternate action.'),
    uid: str('UID of the resource. (when there is a single resource which can be described).'),
  });

const Preconditions = obj(`${META}Preconditions`,
  'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.', {
    resourceVersion: str('Specifies the target ResourceVersion'),
    uid: str('Specifies the target UID.'),
  });

const RawExtension = obj('io.k8s.apimachinery.pkg.runtime.RawExtension',
  'RawExtension is used to hold extensions in external versions.', {});

const APIResource = obj(`${META}APIResource`,
  'APIResource specifies the name of a resource and whether it is namespaced.', {
    categories: list(str(), 'categories is a list of the grouped resources this resource belongs to (e.g. \'all\')', { listType: 'atomic' }),
    group: str('group is the preferred group of the resource.  Empty implies the group of the containing resource list. For subresources, this may have a different value, for example: Scale".'),
    kind: str('kind is the kind for the resource (e.g. \'Foo\' is the kind for a resource \'foo\')'),
    name: str('name is the plural name of the resource.'),
    namespaced: bool('namespaced indicates if a resource is namespaced or not.'),
    shortNames: list(str(), 'shortNames is a list of suggested short names of the resource.', { listType: 'atomic' }),
    singularName: str('singularName is the singular name of the resource.  This allows clients to handle plural and singular opaquely. The singularName is more correct for reporting status on a single item and both singular and plural are allowed from the kubectl CLI interface.'),
    storageVersionHash: str('The hash value of the storage version, the version this resource is converted to when written to the data store. Value must be treated as opaque by clients. Only equality comparison on the value is valid.'),
    verbs: list(str(), 'verbs is a list of supported kube verbs (this includes get, list, watch, create, update, patch, delete, deletecollection, and proxy)'),
    version: str('version is the preferred version of the resource.  Empty implies the version of the containing resource list For subresources, this may have a different value, for example: v1 (while inside a v1beta1 version of the core resource\'s group)".'),
  }, { required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'] });

/**
 * The meta.v1 definitions every document carries. `groupVersions` are all served group-versions:
 * DeleteOptions and WatchEvent are tagged with each of them, as upstream tags them.
 */
export function metaDefinitions(groupVersions: GroupVersion[]): TSchema[] {
  const everyGv = [{ group: '', version: 'v1' }, ...groupVersions.filter((gv) => gv.group !== '')];
  const Status = obj(STATUS, 'Status is a return value for calls that don\'t return other objects.', {
    apiVersion: apiVersionField(),
    code: int32('Suggested HTTP return code for this status, 0 if not set.'),
    details: withMeta(StatusDetails, { description: 'Extended data associated with the reason.  Each reason may define its own extended details. This field is optional and the data returned is not guaranteed to conform to any schema except that defined by the reason type.' }),
    kind: kindField(),
    message: str('A human-readable description of the status of this operation.'),
    metadata: withMeta(ListMeta, { description: 'Standard list metadata.' }),
    reason: str('A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available. A Reason clarifies an HTTP status code but does not override it.'),
    status: str('Status of the operation. One of: "Success" or "Failure".'),
  }, { extra: gvk([{ group: '', version: 'v1' }], 'Status') });
  const DeleteOptions = obj(DELETE_OPTIONS, 'DeleteOptions may be provided when deleting an API object.', {
    apiVersion: apiVersionField(),
    dryRun: list(str(), 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed', { listType: 'atomic' }),
    gracePeriodSeconds: int64('The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.'),
    kind: kindField(),
    orphanDependents: bool('Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.'),
    preconditions: withMeta(Preconditions, { description: 'Must be fulfilled before a deletion is carried out. If not possible, a 409 Conflict status will be returned.' }),
    propagationPolicy: str('Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: \'Orphan\' - orphan the dependents; \'Background\' - allow the garbage collector to delete the dependents in the background; \'Foreground\' - a cascading policy that deletes all dependents in the foreground.'),
  }, { extra: gvk(everyGv, 'DeleteOptions') });
  const WatchEvent = obj(WATCH_EVENT, 'Event represents a single event to a watched resource.', {
    object: withMeta(RawExtension, { description: 'Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.' }),
    type: str(),
  }, { required: ['type', 'object'], extra: gvk(everyGv, 'WatchEvent') });
  const APIResourceList = obj(API_RESOURCE_LIST, 'APIResourceList is a list of APIResource, it is used to expose the name of the resources supported in a specific group and version, and if the resource is namespaced.', {
    apiVersion: apiVersionField(),
    groupVersion: str('groupVersion is the group and version this APIResourceList is for.'),
    kind: kindField(),
    resources: list(APIResource, 'resources contains the name of the resources and if they are namespaced.', { listType: 'atomic' }),
  }, { required: ['groupVersion', 'resources'], extra: gvk([{ group: '', version: 'v1' }], 'APIResourceList') });
  const Patch = obj(PATCH, 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', {});
  return [APIResourceList, DeleteOptions, Patch, Status, WatchEvent];
}

/**
 * The named meta.v1 types nested in metaDefinitions' bodies, as declared (their places of use
 * annotate them). Declared to the converter so their definitions keep their own descriptions.
 */
export function metaDeclarations(): TSchema[] {
  return [APIResource, Preconditions, RawExtension, StatusCause, StatusDetails];
}

/** An opaque object value, for subresource bodies whose kind no served schema describes. */
export const opaqueObject = (): TSchema => withMeta(anyValue('An object whose schema is not published.'), { type: 'object' });
