// authorization.k8s.io/v1 SelfSubjectAccessReview: "can I do X?" (`kubectl auth can-i`). Create
// only; the server fills status from its authorizer and returns the object without storing it.
import { obj, str, bool, list, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelectorRequirement } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';

const AZ = 'io.k8s.api.authorization.v1.';

export const FieldSelectorAttributesSchema = obj(`${AZ}FieldSelectorAttributes`, 'FieldSelectorAttributes indicates a field limited access.', {
  rawSelector: str('rawSelector is the serialization of a field selector that would be included in a query parameter.'),
  requirements: list(obj('io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement', 'FieldSelectorRequirement is a selector that contains values, a key, and an operator that relates the key and values.', {
    key: str('key is the field selector key that the requirement applies to.'),
    operator: str('operator represents a key\'s relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist.'),
    values: list(str(), 'values is an array of string values.', { listType: 'atomic' }),
  }, { required: ['key', 'operator'] }), 'requirements is the parsed interpretation of a field selector.', { listType: 'atomic' }),
});

export const LabelSelectorAttributesSchema = obj(`${AZ}LabelSelectorAttributes`, 'LabelSelectorAttributes indicates a label limited access.', {
  rawSelector: str('rawSelector is the serialization of a field selector that would be included in a query parameter.'),
  requirements: list(LabelSelectorRequirement, 'requirements is the parsed interpretation of a label selector.', { listType: 'atomic' }),
});

export const ResourceAttributesSchema = obj(`${AZ}ResourceAttributes`, 'ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface', {
  namespace: str('Namespace is the namespace of the action being requested.'),
  verb: str('Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.  "*" means all.'),
  group: str('Group is the API Group of the Resource.  "*" means all.'),
  version: str('Version is the API Version of the Resource.  "*" means all.'),
  resource: str('Resource is one of the existing resource types.  "*" means all.'),
  subresource: str('Subresource is one of the existing resource types.  "" means none.'),
  name: str('Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.'),
  fieldSelector: FieldSelectorAttributesSchema,
  labelSelector: LabelSelectorAttributesSchema,
});

export const NonResourceAttributesSchema = obj(`${AZ}NonResourceAttributes`, 'NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface', {
  path: str('Path is the URL path of the request'),
  verb: str('Verb is the standard HTTP verb'),
});

export const SubjectAccessReviewStatusSchema = obj(`${AZ}SubjectAccessReviewStatus`, 'SubjectAccessReviewStatus', {
  allowed: bool('Allowed is required. True if the action would be allowed, false otherwise.'),
  denied: bool('Denied is optional. True if the action would be denied, otherwise false.'),
  reason: str('Reason is optional.  It indicates why a request was allowed or denied.'),
  evaluationError: str('EvaluationError is an indication that some error occurred during the authorization check.'),
}, { required: ['allowed'] });

export const SelfSubjectAccessReviewSchema = resourceSchema(`${AZ}SelfSubjectAccessReview`, { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' },
  'SelfSubjectAccessReview checks whether or the current user can perform an action.', {
    spec: obj(`${AZ}SelfSubjectAccessReviewSpec`, 'SelfSubjectAccessReviewSpec is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set', {
      resourceAttributes: ResourceAttributesSchema,
      nonResourceAttributes: NonResourceAttributesSchema,
    }),
    status: SubjectAccessReviewStatusSchema,
  });
export type SelfSubjectAccessReview = Static<typeof SelfSubjectAccessReviewSchema>;

/** Upstream ValidateSelfSubjectAccessReviewSpec: exactly one kind of attributes. */
export function validateSelfSubjectAccessReview(r: SelfSubjectAccessReview): FieldError[] {
  const spec = r.spec ?? {};
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [fieldError.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

export const selfSubjectAccessReviews: ResourceType<SelfSubjectAccessReview> = {
  group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview',
  namespaced: false, verbs: ['create'], createOnly: true,
  schema: SelfSubjectAccessReviewSchema,
  prepareForCreate(r) {
    delete r.status;
  },
  validate: (r) => validateSelfSubjectAccessReview(r),
};

