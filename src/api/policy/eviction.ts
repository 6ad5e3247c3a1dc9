// policy/v1 Eviction: the body of POST pods/<name>/eviction. Never stored; the server checks the
// pod's disruption budgets and deletes the pod with the given options.
import { obj, str, int64, bool, list, type Static } from '../schema/builder.js';
import { resourceSchema, apiVersionField, kindField } from '../schema/meta.js';

/**
 * meta/v1 DeleteOptions as the Eviction body embeds it. The API server publishes the same
 * definition (same name and fields) for every group-version; keep the two in step.
 */
export const EvictionDeleteOptionsSchema = obj('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'DeleteOptions may be provided when deleting an API object.', {
  apiVersion: apiVersionField(),
  dryRun: list(str(), 'When present, indicates that modifications should not be persisted.', { listType: 'atomic' }),
  gracePeriodSeconds: int64('The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately.'),
  kind: kindField(),
  orphanDependents: bool('Deprecated: please use the PropagationPolicy.'),
  preconditions: obj('io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions', 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.', {
    resourceVersion: str('Specifies the target ResourceVersion'),
    uid: str('Specifies the target UID.'),
  }),
  propagationPolicy: str('Whether and how garbage collection will be performed. Acceptable values are: \'Orphan\', \'Background\', \'Foreground\'.'),
});

export const EvictionSchema = resourceSchema('io.k8s.api.policy.v1.Eviction', { group: 'policy', version: 'v1', kind: 'Eviction' },
  'Eviction evicts a pod from its node subject to certain policies and safety constraints. This is a subresource of Pod. A request to cause such an eviction is created by POSTing to .../pods/<pod name>/evictions.', {
    deleteOptions: EvictionDeleteOptionsSchema,
  });
export type Eviction = Static<typeof EvictionSchema>;
