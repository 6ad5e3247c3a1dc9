// authorization.k8s.io/v1 SelfSubjectRulesReview: "what may I do in this namespace?"
// (`kubectl auth can-i --list`). Create only; the server answers from its authorizer.
import { obj, str, bool, list, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';

const AZ = 'io.k8s.api.authorization.v1.';

export const ResourceRuleSchema = obj(`${AZ}ResourceRule`, 'ResourceRule is the list of actions the subject is allowed to perform on resources.', {
  verbs: list(str(), 'Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy.  "*" means all.', { listType: 'atomic' }),
  apiGroups: list(str(), 'APIGroups is the name of the APIGroup that contains the resources.  "*" means all.', { listType: 'atomic' }),
  resources: list(str(), 'Resources is a list of resources this rule applies to.  "*" means all in the specified apiGroups.', { listType: 'atomic' }),
  resourceNames: list(str(), 'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.  "*" means all.', { listType: 'atomic' }),
}, { required: ['verbs'] });

export const NonResourceRuleSchema = obj(`${AZ}NonResourceRule`, 'NonResourceRule holds information that describes a rule for the non-resource', {
  verbs: list(str(), 'Verb is a list of kubernetes non-resource API verbs, like: get, post, put, delete, patch, head, options.  "*" means all.', { listType: 'atomic' }),
  nonResourceURLs: list(str(), 'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path.  "*" means all.', { listType: 'atomic' }),
}, { required: ['verbs'] });

export const SelfSubjectRulesReviewSchema = resourceSchema(`${AZ}SelfSubjectRulesReview`, { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview' },
  'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.', {
    spec: obj(`${AZ}SelfSubjectRulesReviewSpec`, 'SelfSubjectRulesReviewSpec defines the specification for SelfSubjectRulesReview.', {
      namespace: str('Namespace to evaluate rules for. Required.'),
    }),
    status: obj(`${AZ}SubjectRulesReviewStatus`, 'SubjectRulesReviewStatus contains the result of a rules check.', {
      resourceRules: list(ResourceRuleSchema, 'ResourceRules is the list of actions the subject is allowed to perform on resources.', { listType: 'atomic' }),
      nonResourceRules: list(NonResourceRuleSchema, 'NonResourceRules is the list of actions the subject is allowed to perform on non-resources.', { listType: 'atomic' }),
      incomplete: bool('Incomplete is true when the rules returned by this call are incomplete.'),
      evaluationError: str('EvaluationError can appear in combination with Rules.'),
    }, { required: ['resourceRules', 'nonResourceRules', 'incomplete'] }),
  });
export type SelfSubjectRulesReview = Static<typeof SelfSubjectRulesReviewSchema>;

export const selfSubjectRulesReviews: ResourceType<SelfSubjectRulesReview> = {
  group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview',
  namespaced: false, verbs: ['create'], createOnly: true,
  schema: SelfSubjectRulesReviewSchema,
  prepareForCreate(r) {
    delete r.status;
  },
};
