// core/v1 references shared by events, endpoints, service accounts and persistent volumes.
import { obj, str, type Static } from '../schema/builder.js';

export const ObjectReferenceSchema = obj('io.k8s.api.core.v1.ObjectReference',
  'ObjectReference contains enough information to let you inspect or modify the referred object.', {
    apiVersion: str('API version of the referent.'),
    fieldPath: str('If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    namespace: str('Namespace of the referent.'),
    resourceVersion: str('Specific resourceVersion to which this reference is made, if any.'),
    uid: str('UID of the referent.'),
  }, { extra: { 'x-kubernetes-map-type': 'atomic' } });
export type ObjectReference = Static<typeof ObjectReferenceSchema>;

export const LocalObjectReferenceSchema = obj('io.k8s.api.core.v1.LocalObjectReference',
  'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.', {
    name: str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty.'),
  }, { extra: { 'x-kubernetes-map-type': 'atomic' } });
export type LocalObjectReference = Static<typeof LocalObjectReferenceSchema>;
