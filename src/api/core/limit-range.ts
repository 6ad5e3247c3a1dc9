// core/v1 LimitRange: per-namespace min/max/default compute and storage constraints, enforced and
// applied to pods and claims by the LimitRanger admission plugin.
import { obj, list, map, quantity, enumStr, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { compareQuantity, quantityToNumber } from '../meta/quantity.js';
import { validateNonnegativeQuantity } from './field-checks.js';

const resourceList = (description: string) => map(quantity(), description);

export const LimitRangeItemSchema = obj('io.k8s.api.core.v1.LimitRangeItem', 'LimitRangeItem defines a min/max usage limit for any resource that matches on kind.', {
  type: enumStr('Type of resource that this limit applies to.', ['Container', 'PersistentVolumeClaim', 'Pod']),
  max: resourceList('Max usage constraints on this kind by resource name.'),
  min: resourceList('Min usage constraints on this kind by resource name.'),
  default: resourceList('Default resource requirement limit value by resource name if resource limit is omitted.'),
  defaultRequest: resourceList('DefaultRequest is the default resource requirement request value by resource name if resource request is omitted.'),
  maxLimitRequestRatio: resourceList('MaxLimitRequestRatio if specified, the named resource must have a request and limit that are both non-zero where limit divided by request is less than or equal to the enumerated value.'),
}, { required: ['type'] });
export type LimitRangeItem = Static<typeof LimitRangeItemSchema>;

export const LimitRangeSchema = resourceSchema('io.k8s.api.core.v1.LimitRange', { group: '', version: 'v1', kind: 'LimitRange' },
  'LimitRange sets resource usage limits for each kind of resource in a Namespace.', {
    spec: obj('io.k8s.api.core.v1.LimitRangeSpec', 'LimitRangeSpec defines a min/max usage limit for resources that match on kind.', {
      limits: list(LimitRangeItemSchema, 'Limits is the list of LimitRangeItem objects that are enforced.', { listType: 'atomic' }),
    }, { required: ['limits'] }),
  });
export type LimitRange = Static<typeof LimitRangeSchema>;

/** Upstream SetDefaults_LimitRangeItem (containers only): default ← max, defaultRequest ← default, min. */
function defaultItem(item: LimitRangeItem): void {
  if (item.type !== 'Container') return;
  const def = { ...item.max, ...item.default };
  const defReq = { ...item.min, ...def, ...item.defaultRequest };
  if (Object.keys(def).length) item.default = def;
  if (Object.keys(defReq).length) item.defaultRequest = defReq;
}

function validateItem(item: LimitRangeItem, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const lists = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
  for (const l of lists) {
    for (const [k, q] of Object.entries(item[l] ?? {})) errs.push(...validateNonnegativeQuantity(q, indexPath(childPath(path, l), k)));
  }
  if (errs.length) return errs;
  if (item.type === 'Pod') {
    if (item.default && Object.keys(item.default).length) errs.push(fieldError.forbidden(childPath(path, 'default'), 'may not be specified when `type` is \'Pod\''));
    if (item.defaultRequest && Object.keys(item.defaultRequest).length) errs.push(fieldError.forbidden(childPath(path, 'defaultRequest'), 'may not be specified when `type` is \'Pod\''));
  }
  if (item.type === 'PersistentVolumeClaim' && item.min?.storage === undefined && item.max?.storage === undefined) {
    errs.push(fieldError.required(childPath(path, 'limits'), 'either minimum or maximum storage value is required, but neither was provided'));
  }
  // Upstream ignores default/defaultRequest of Pod items when comparing bounds.
  const compared = item.type === 'Pod' ? (['max', 'min', 'maxLimitRequestRatio'] as const) : lists;
  const keys = new Set(compared.flatMap((l) => Object.keys(item[l] ?? {})));
  const pod = item.type === 'Pod';
  for (const k of keys) {
    const [min, max, ratio] = [item.min?.[k], item.max?.[k], item.maxLimitRequestRatio?.[k]];
    const [def, req] = pod ? [undefined, undefined] : [item.default?.[k], item.defaultRequest?.[k]];
    const gt = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && compareQuantity(a, b) > 0;
    const at = (list: string) => indexPath(childPath(path, list), k);
    if (gt(min, max)) errs.push(fieldError.invalid(at('min'), min, `min value ${min} is greater than max value ${max}`));
    if (gt(min, req)) errs.push(fieldError.invalid(at('defaultRequest'), req, `min value ${min} is greater than default request value ${req}`));
    if (gt(req, max)) errs.push(fieldError.invalid(at('defaultRequest'), req, `default request value ${req} is greater than max value ${max}`));
    if (gt(req, def)) errs.push(fieldError.invalid(at('defaultRequest'), req, `default request value ${req} is greater than default limit value ${def}`));
    if (gt(min, def)) errs.push(fieldError.invalid(at('default'), min, `min value ${min} is greater than default value ${def}`));
    if (gt(def, max)) errs.push(fieldError.invalid(at('default'), max, `default value ${def} is greater than max value ${max}`));
    if (ratio !== undefined) {
      if (compareQuantity(ratio, '1') < 0) errs.push(fieldError.invalid(at('maxLimitRequestRatio'), ratio, `ratio ${ratio} is less than 1`));
      if (min !== undefined && max !== undefined && quantityToNumber(min) > 0) {
        const limit = quantityToNumber(max) / quantityToNumber(min);
        if (quantityToNumber(ratio) > limit) errs.push(fieldError.invalid(at('maxLimitRequestRatio'), ratio, `ratio ${ratio} is greater than max/min = ${limit.toFixed(6)}`));
      }
    }
  }
  return errs;
}

export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const path = indexPath('spec.limits', i);
    const type = item.type ?? '';
    if (seen.has(type)) errs.push(fieldError.duplicate(childPath(path, 'type'), type));
    seen.add(type);
    errs.push(...validateItem(item, path));
  });
  return errs;
}

export const limitRanges: ResourceType<LimitRange> = {
  group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', singular: 'limitrange',
  namespaced: true, shortNames: ['limits'],
  schema: LimitRangeSchema,
  defaults(lr) {
    for (const item of lr.spec?.limits ?? []) defaultItem(item);
  },
  validate: (lr) => validateLimitRange(lr),
};
