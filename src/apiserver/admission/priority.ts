// Priority admission (upstream plugin/pkg/admission/priority): a new pod's spec.priority and
// spec.preemptionPolicy come from its PriorityClass (or the globalDefault class, or 0), never from
// the user; at most one PriorityClass may be the global default.
import { errors, type KubeObject, type PriorityClass } from '../../api/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

/** Upstream DefaultPriorityWhenNoDefaultClassExists. */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS = 0;

/** Reads PriorityClasses as the server stores them (possibly slightly stale, like a lister). */
export interface PriorityClassLookup {
  get(name: string): Promise<PriorityClass | undefined>;
  list(): Promise<PriorityClass[]>;
}

interface PodSpecFields {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

const isPods = (a: AdmissionAttributes): boolean => a.rt.group === '' && a.rt.plural === 'pods' && a.subresource === '';
const isPriorityClasses = (a: AdmissionAttributes): boolean => a.rt.group === 'scheduling.k8s.io' && a.rt.plural === 'priorityclasses';

/** Upstream admission.NewForbidden: `<resource> "<name>" is forbidden: <reason>`. */
function forbidden(a: AdmissionAttributes, reason: string): Error {
  const name = a.object?.metadata?.name ?? a.name;
  const resource = a.rt.group ? `${a.rt.plural}.${a.rt.group}` : a.rt.plural;
  return errors.forbidden(`${resource} "${name}" is forbidden: ${reason}`, { name, group: a.rt.group || undefined, kind: a.rt.plural });
}

/** Upstream getDefaultPriorityClass: the globalDefault class with the lowest value, if any. */
async function defaultPriorityClass(lookup: PriorityClassLookup): Promise<PriorityClass | undefined> {
  let best: PriorityClass | undefined;
  for (const pc of await lookup.list()) {
    if (pc.globalDefault && (!best || (pc.value ?? 0) < (best.value ?? 0))) best = pc;
  }
  return best;
}

async function admitPod(a: AdmissionAttributes, lookup: PriorityClassLookup): Promise<void> {
  const spec = (a.object?.spec ?? {}) as PodSpecFields;
  if (a.operation === 'UPDATE') {
    // Priority was set on create; an update that omits it keeps it (validation forbids changes).
    const old = (a.oldObject?.spec ?? {}) as PodSpecFields;
    if (spec.priority === undefined && old.priority !== undefined) spec.priority = old.priority;
    if (spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
    return;
  }
  if (a.operation !== 'CREATE') return;
  let priority: number;
  let preemptionPolicy: string | undefined;
  if (!spec.priorityClassName) {
    const pc = await defaultPriorityClass(lookup);
    priority = pc ? pc.value ?? 0 : DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS;
    preemptionPolicy = pc ? pc.preemptionPolicy : 'PreemptLowerPriority';
    if (pc) spec.priorityClassName = pc.metadata?.name;
  } else {
    const pc = await lookup.get(spec.priorityClassName);
    if (!pc) throw forbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value ?? 0;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(a, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (spec.preemptionPolicy && preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
    throw forbidden(a, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
  }
  if (preemptionPolicy) spec.preemptionPolicy = preemptionPolicy;
  if (a.object) a.object.spec = spec as KubeObject['spec'];
}

async function validatePriorityClass(a: AdmissionAttributes, lookup: PriorityClassLookup): Promise<void> {
  if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
  const pc = a.object as PriorityClass | undefined;
  if (!pc?.globalDefault) return;
  const current = await defaultPriorityClass(lookup);
  if (!current) return;
  if (a.operation === 'CREATE' || current.metadata?.name !== pc.metadata?.name) {
    throw forbidden(a, `PriorityClass ${current.metadata?.name ?? ''} is marked as default. Only one default can exist`);
  }
}

export function priorityAdmission(lookup: PriorityClassLookup): AdmissionPlugin {
  return {
    name: 'Priority',
    async admit(a) {
      if (isPods(a)) await admitPod(a, lookup);
    },
    async validate(a) {
      if (isPriorityClasses(a)) await validatePriorityClass(a, lookup);
    },
  };
}
