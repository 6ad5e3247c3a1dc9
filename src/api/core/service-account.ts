// core/v1 ServiceAccount: an identity for processes in pods. Tokens are minted through the
// `token` subresource (authentication.k8s.io/v1 TokenRequest), which the server implements.
import { bool, list, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { LocalObjectReferenceSchema, ObjectReferenceSchema } from './object-reference.js';

export const ServiceAccountSchema = resourceSchema('io.k8s.api.core.v1.ServiceAccount', { group: '', version: 'v1', kind: 'ServiceAccount' },
  'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets', {
    secrets: list(ObjectReferenceSchema, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { mergeKey: 'name', strategy: 'merge' }),
    imagePullSecrets: list(LocalObjectReferenceSchema, 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.', { listType: 'atomic' }),
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.'),
  });
export type ServiceAccount = Static<typeof ServiceAccountSchema>;

export const serviceAccounts: ResourceType<ServiceAccount> = {
  group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount',
  namespaced: true, shortNames: ['sa'],
  subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  schema: ServiceAccountSchema,
  // Upstream ValidateServiceAccount checks metadata only.
};
