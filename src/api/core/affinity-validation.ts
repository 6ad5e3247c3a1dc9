// Upstream validation of a pod's scheduling constraints: affinity, tolerations and topology
// spread constraints. Called by pod-validation.ts with the spec's path prefix.
import { fieldError, type FieldError, childPath, indexPath } from '../field-errors.js';
import { isQualifiedName, isValidLabelValue, isDNS1123Label } from '../meta/names.js';
import { validateLabelSelector } from './field-checks.js';
import type { Affinity, NodeSelector, NodeSelectorTerm, PodAffinityTerm, Toleration, TopologySpreadConstraint } from './affinity.js';

type Requirement = NonNullable<NodeSelectorTerm['matchExpressions']>[number];

function labelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => fieldError.invalid(path, key, m));
}

function validateNodeSelectorRequirement(r: Requirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': case 'NotIn':
      if (values.length === 0) errs.push(fieldError.required(childPath(path, 'values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length > 0) errs.push(fieldError.forbidden(childPath(path, 'values'), 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
      break;
    case 'Gt': case 'Lt':
      if (values.length !== 1) errs.push(fieldError.required(childPath(path, 'values'), 'must be specified single value when `operator` is \'Lt\' or \'Gt\''));
      break;
    default:
      errs.push(fieldError.invalid(childPath(path, 'operator'), r.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...labelName(r.key ?? '', childPath(path, 'key')));
  return errs;
}

function validateNodeFieldSelectorRequirement(r: Requirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  if (r.operator === 'In' || r.operator === 'NotIn') {
    if (values.length !== 1) errs.push(fieldError.required(childPath(path, 'values'), 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
  } else {
    errs.push(fieldError.invalid(childPath(path, 'operator'), r.operator ?? '', 'not a valid selector operator'));
  }
  if (r.key !== 'metadata.name') errs.push(fieldError.notSupported(childPath(path, 'key'), r.key ?? '', ['metadata.name']));
  return errs;
}

function validateNodeSelectorTerm(t: NodeSelectorTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (t.matchExpressions ?? []).forEach((r, i) => errs.push(...validateNodeSelectorRequirement(r, indexPath(childPath(path, 'matchExpressions'), i))));
  (t.matchFields ?? []).forEach((r, i) => errs.push(...validateNodeFieldSelectorRequirement(r, indexPath(childPath(path, 'matchFields'), i))));
  return errs;
}

/** Upstream ValidateNodeSelector (required node affinity, also PersistentVolume node affinity). */
export function validateNodeSelector(ns: NodeSelector, path: string): FieldError[] {
  const terms = ns.nodeSelectorTerms ?? [];
  const tp = childPath(path, 'nodeSelectorTerms');
  if (terms.length === 0) return [fieldError.required(tp, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, indexPath(tp, i)));
}

function validateWeight(weight: number | undefined, path: string): FieldError[] {
  return weight !== undefined && weight >= 1 && weight <= 100 ? [] : [fieldError.invalid(path, weight ?? 0, 'must be in the range 1-100')];
}

function validatePodAffinityTerm(t: PodAffinityTerm, path: string): FieldError[] {
  const errs = validateLabelSelector(t.labelSelector, childPath(path, 'labelSelector'));
  errs.push(...validateLabelSelector(t.namespaceSelector, childPath(path, 'namespaceSelector')));
  (t.namespaces ?? []).forEach((n) => {
    for (const m of isDNS1123Label(n)) errs.push(fieldError.invalid(childPath(path, 'namespace'), n, m));
  });
  if (!t.topologyKey) errs.push(fieldError.required(childPath(path, 'topologyKey'), 'can not be empty'));
  else errs.push(...labelName(t.topologyKey, childPath(path, 'topologyKey')));
  return errs;
}

export function validateAffinity(a: Affinity | undefined, path: string): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na) {
    const np = childPath(path, 'nodeAffinity');
    if (na.requiredDuringSchedulingIgnoredDuringExecution) {
      errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, childPath(np, 'requiredDuringSchedulingIgnoredDuringExecution')));
    }
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = indexPath(childPath(np, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      errs.push(...validateWeight(t.weight, childPath(tp, 'weight')));
      errs.push(...validateNodeSelectorTerm(t.preference ?? {}, childPath(tp, 'preference')));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    if (!pa) continue;
    const pp = childPath(path, kind);
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errs.push(...validatePodAffinityTerm(t, indexPath(childPath(pp, 'requiredDuringSchedulingIgnoredDuringExecution'), i)));
    });
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = indexPath(childPath(pp, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      errs.push(...validateWeight(t.weight, childPath(tp, 'weight')));
      errs.push(...validatePodAffinityTerm(t.podAffinityTerm ?? {}, childPath(tp, 'podAffinityTerm')));
    });
  }
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Upstream ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const ip = indexPath(path, i);
    if (t.key) errs.push(...labelName(t.key, childPath(ip, 'key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(fieldError.invalid(childPath(ip, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(fieldError.invalid(childPath(ip, 'effect'), t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    switch (t.operator ?? '') {
      case 'Equal': case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(fieldError.invalid(childPath(ip, 'operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(fieldError.invalid(childPath(ip, 'operator'), t, 'value must be empty when `operator` is \'Exists\''));
        break;
      default:
        errs.push(fieldError.notSupported(childPath(ip, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect) {
      if (!TAINT_EFFECTS.includes(t.effect)) errs.push(fieldError.notSupported(childPath(ip, 'effect'), t.effect, TAINT_EFFECTS));
    }
  });
  return errs;
}

/** Upstream validateTopologySpreadConstraints. */
export function validateTopologySpreadConstraints(constraints: TopologySpreadConstraint[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (constraints ?? []).forEach((c, i) => {
    const ip = indexPath(path, i);
    if (c.maxSkew === undefined || c.maxSkew <= 0) errs.push(fieldError.invalid(childPath(ip, 'maxSkew'), c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(fieldError.required(childPath(ip, 'topologyKey'), 'can not be empty'));
    else errs.push(...labelName(c.topologyKey, childPath(ip, 'topologyKey')));
    const action = c.whenUnsatisfiable ?? '';
    if (!action) errs.push(fieldError.required(childPath(ip, 'whenUnsatisfiable'), 'can not be empty'));
    else if (!['DoNotSchedule', 'ScheduleAnyway'].includes(action)) errs.push(fieldError.notSupported(childPath(ip, 'whenUnsatisfiable'), action, ['DoNotSchedule', 'ScheduleAnyway']));
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(fieldError.invalid(childPath(ip, 'minDomains'), c.minDomains, 'must be greater than zero'));
      else if (action !== 'DoNotSchedule') errs.push(fieldError.invalid(childPath(ip, 'minDomains'), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
    }
    const pair = `{${c.topologyKey ?? ''}, ${action}}`;
    if (seen.has(pair)) errs.push(fieldError.duplicate(childPath(ip, '{topologyKey, whenUnsatisfiable}'), pair));
    seen.add(pair);
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[f];
      if (v !== undefined && !['Honor', 'Ignore'].includes(v)) errs.push(fieldError.notSupported(childPath(ip, f), v, ['Honor', 'Ignore']));
    }
    errs.push(...validateLabelSelector(c.labelSelector, childPath(ip, 'labelSelector')));
  });
  return errs;
}
