// scheduling.k8s.io/v1 PriorityClass: maps a class name to a pod priority. Cluster-scoped. The
// two system classes are created by the server at start-up; their names and values are fixed.
import { bool, int32, str, enumStr, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { validateEnum, validateImmutable } from '../core/field-checks.js';

const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;

export const PriorityClassSchema = resourceSchema('io.k8s.api.scheduling.v1.PriorityClass', { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
  'PriorityClass defines mapping from a priority class name to the priority integer value. The value can be any valid integer.', {
    value: int32('value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    globalDefault: bool('globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    description: str('description is an arbitrary string that usually provides guidelines on when this priority class should be used.'),
    preemptionPolicy: withMeta(enumStr('preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.', PREEMPTION_POLICIES), { default: 'PreemptLowerPriority' }),
  });
export type PriorityClass = Static<typeof PriorityClassSchema>;

/** Upstream HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** The built-in classes the server creates: name → value (globalDefault false). */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': SYSTEM_CRITICAL_PRIORITY + 1000,
  'system-cluster-critical': SYSTEM_CRITICAL_PRIORITY,
};

/** Upstream IsKnownSystemPriorityClass: the error text, or undefined when it matches. */
function systemClassError(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  const value = SYSTEM_PRIORITY_CLASSES[name];
  if (value === undefined) return `${name} is not a known system priority class`;
  if (pc.value !== value) return `value of ${name} PriorityClass must be ${value}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if ((pc.metadata?.name ?? '').startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const err = systemClassError(pc);
    if (err) errs.push(fieldError.forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}`));
  } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(fieldError.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  errs.push(...validateEnum(pc.preemptionPolicy, PREEMPTION_POLICIES, 'preemptionPolicy'));
  return errs;
}

export const priorityClasses: ResourceType<PriorityClass> = {
  group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', singular: 'priorityclass',
  namespaced: false, shortNames: ['pc'],
  schema: PriorityClassSchema,
  defaults(pc) {
    pc.preemptionPolicy ||= 'PreemptLowerPriority';
    pc.value ??= 0;
  },
  validate: (pc) => validatePriorityClass(pc),
  validateUpdate(pc, old) {
    const errs = validatePriorityClass(pc);
    if (pc.value !== old.value) errs.push(fieldError.forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
    return errs;
  },
};
