// core/v1 ResourceQuota: aggregate per-namespace limits. The quota controller keeps status.used;
// admission rejects requests that would exceed spec.hard.
import { obj, str, list, map, quantity, enumStr, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { validateResourceList } from './field-checks.js';

export const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'] as const;

export const ScopeSelectorSchema = obj('io.k8s.api.core.v1.ScopeSelector', 'A scope selector represents the AND of the selectors represented by the scoped-resource selector requirements.', {
  matchExpressions: list(obj('io.k8s.api.core.v1.ScopedResourceSelectorRequirement', 'A scoped-resource selector requirement is a selector that contains values, a scope name, and an operator that relates the scope name and values.', {
    scopeName: enumStr('The name of the scope that the selector applies to.', QUOTA_SCOPES),
    operator: enumStr('Represents a scope\'s relationship to a set of values.', ['DoesNotExist', 'Exists', 'In', 'NotIn']),
    values: list(str(), 'An array of string values.', { listType: 'atomic' }),
  }, { required: ['scopeName', 'operator'] }), 'A list of scope selector requirements by scope of the resources.', { listType: 'atomic' }),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });

export const ResourceQuotaSchema = resourceSchema('io.k8s.api.core.v1.ResourceQuota', { group: '', version: 'v1', kind: 'ResourceQuota' },
  'ResourceQuota sets aggregate quota restrictions enforced per namespace', {
    spec: obj('io.k8s.api.core.v1.ResourceQuotaSpec', 'ResourceQuotaSpec defines the desired hard limits to enforce for Quota.', {
      hard: map(quantity(), 'hard is the set of desired hard limits for each named resource.'),
      scopes: list(enumStr('', QUOTA_SCOPES), 'A collection of filters that must match each object tracked by a quota.', { listType: 'atomic' }),
      scopeSelector: ScopeSelectorSchema,
    }),
    status: obj('io.k8s.api.core.v1.ResourceQuotaStatus', 'ResourceQuotaStatus defines the enforced hard limits and observed use.', {
      hard: map(quantity(), 'Hard is the set of enforced hard limits for each named resource.'),
      used: map(quantity(), 'Used is the current observed total usage of the resource in the namespace.'),
    }),
  });
export type ResourceQuota = Static<typeof ResourceQuotaSchema>;

const TERMINATION_SCOPES = new Set(['Terminating', 'NotTerminating']);
const BEST_EFFORT_SCOPES = new Set(['BestEffort', 'NotBestEffort']);

/** Upstream ValidateResourceQuotaSpec (the most used rules). */
export function validateResourceQuota(rq: ResourceQuota): FieldError[] {
  const spec = rq.spec ?? {};
  const errs = validateResourceList(spec.hard, 'spec.hard');
  const scopes = [...(spec.scopes ?? []), ...(spec.scopeSelector?.matchExpressions ?? []).map((e) => e.scopeName ?? '')];
  (spec.scopes ?? []).forEach((s, i) => {
    if (!(QUOTA_SCOPES as readonly string[]).includes(s)) errs.push(fieldError.invalid(indexPath('spec.scopes', i), s, 'unsupported scope'));
  });
  (spec.scopeSelector?.matchExpressions ?? []).forEach((req, i) => {
    const path = indexPath('spec.scopeSelector.matchExpressions', i);
    if (!(QUOTA_SCOPES as readonly string[]).includes(req.scopeName ?? '')) errs.push(fieldError.invalid(childPath(path, 'scopeName'), req.scopeName ?? '', 'unsupported scope'));
    const values = req.values ?? [];
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      errs.push(fieldError.required(childPath(path, 'values'), 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    } else if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      errs.push(fieldError.invalid(childPath(path, 'values'), values, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
    } else if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(req.operator ?? '')) {
      errs.push(fieldError.invalid(childPath(path, 'operator'), req.operator ?? '', 'not a valid selector operator'));
    }
  });
  const has = (set: Set<string>) => new Set(scopes.filter((s) => set.has(s))).size > 1;
  if (has(TERMINATION_SCOPES) || has(BEST_EFFORT_SCOPES)) {
    errs.push(fieldError.invalid('spec.scopes', spec.scopes ?? [], 'conflicting scopes'));
  }
  return errs;
}

export const resourceQuotas: ResourceType<ResourceQuota> = {
  group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', singular: 'resourcequota',
  namespaced: true, shortNames: ['quota'],
  subresources: [{ name: 'status', kind: 'ResourceQuota', verbs: ['get', 'patch', 'update'] }],
  schema: ResourceQuotaSchema,
  hasStatus: true,
  prepareForCreate(rq) {
    delete rq.status;
  },
  validate: (rq) => validateResourceQuota(rq),
};
