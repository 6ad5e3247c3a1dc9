// Field numbers of authorization/v1: SelfSubjectAccessReview, SelfSubjectRulesReview.
import { always, type FieldTables } from './spec.js';

export const AUTHORIZATION_FIELDS: FieldTables = {
  'io.k8s.api.authorization.v1.FieldSelectorAttributes': { rawSelector: 1, requirements: 2 },
  'io.k8s.api.authorization.v1.LabelSelectorAttributes': { rawSelector: 1, requirements: 2 },
  'io.k8s.api.authorization.v1.NonResourceAttributes': { path: 1, verb: 2 },
  'io.k8s.api.authorization.v1.NonResourceRule': { verbs: 1, nonResourceURLs: 2 },
  'io.k8s.api.authorization.v1.ResourceAttributes': {
    namespace: 1, verb: 2, group: 3, version: 4, resource: 5, subresource: 6, name: 7, fieldSelector: 8, labelSelector: 9,
  },
  'io.k8s.api.authorization.v1.ResourceRule': { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4 },
  'io.k8s.api.authorization.v1.SelfSubjectAccessReview': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec': { resourceAttributes: 1, nonResourceAttributes: 2 },
  'io.k8s.api.authorization.v1.SelfSubjectRulesReview': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec': { namespace: 1 },
  'io.k8s.api.authorization.v1.SubjectAccessReviewStatus': { allowed: always(1), reason: 2, evaluationError: 3, denied: 4 },
  'io.k8s.api.authorization.v1.SubjectRulesReviewStatus': {
    resourceRules: 1, nonResourceRules: 2, incomplete: always(3), evaluationError: 4,
  },
};
