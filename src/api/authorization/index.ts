// authorization.k8s.io: the create-only review kinds the server answers, with their schemas.
import type { ResourceType } from '../resource.js';
import { selfSubjectAccessReviews } from './self-subject-access-review.js';
import { selfSubjectRulesReviews } from './self-subject-rules-review.js';

export const AUTHORIZATION_RESOURCES: readonly ResourceType<any>[] = [selfSubjectAccessReviews, selfSubjectRulesReviews];

export * from './self-subject-access-review.js';
export * from './self-subject-rules-review.js';
