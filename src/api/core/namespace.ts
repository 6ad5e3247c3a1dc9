// core/v1 Namespace. Cluster-scoped; `spec.finalizers` holds the `kubernetes` finalizer that the
// namespace controller removes once the namespace's content is gone, and changes only through the
// `finalize` subresource.
import { obj, str, list, enumStr, time, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, type FieldError } from '../field-errors.js';
import { isQualifiedName } from '../meta/names.js';
import { FINALIZER_KUBERNETES, STANDARD_FINALIZERS } from '../meta/object-meta.js';

export const NamespaceConditionSchema = obj('io.k8s.api.core.v1.NamespaceCondition',
  'NamespaceCondition contains details about state of namespace.', {
    type: str('Type of namespace controller condition.'),
    status: str('Status of the condition, one of True, False, Unknown.'),
    lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
    reason: str('Unique, one-word, CamelCase reason for the condition\'s last transition.'),
    message: str('Human-readable message indicating details about last transition.'),
  }, { required: ['type', 'status'] });

export const NamespaceSchema = resourceSchema('io.k8s.api.core.v1.Namespace', { group: '', version: 'v1', kind: 'Namespace' },
  'Namespace provides a scope for Names. Use of multiple namespaces is optional.', {
    spec: obj('io.k8s.api.core.v1.NamespaceSpec', 'NamespaceSpec describes the attributes on a Namespace.', {
      finalizers: list(str(), 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.', { listType: 'atomic' }),
    }),
    status: obj('io.k8s.api.core.v1.NamespaceStatus', 'NamespaceStatus is information about the current status of a Namespace.', {
      phase: enumStr('Phase is the current lifecycle phase of the namespace.', ['Active', 'Terminating']),
      conditions: list(NamespaceConditionSchema, 'Represents the latest available observations of a namespace\'s current state.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
    }),
  });
export type Namespace = Static<typeof NamespaceSchema>;

/** Label the server keeps equal to the namespace's name (immutable name → stable selector). */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/**
 * Upstream validateFinalizerName for spec.finalizers: a qualified name, and either domain-prefixed
 * or one of the standard names. `indexed` gives the per-item path the finalize subresource uses.
 */
export function validateNamespaceFinalizers(finalizers: string[] | undefined, indexed = false): FieldError[] {
  const errs: FieldError[] = [];
  (finalizers ?? []).forEach((f, i) => {
    const path = indexed ? indexPath('spec.finalizers', i) : 'spec.finalizers';
    for (const m of isQualifiedName(f)) errs.push(fieldError.invalid(path, f, m));
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      errs.push(fieldError.invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function validateNamespaceStatus(ns: Namespace): FieldError[] {
  const phase = ns.status?.phase;
  if (phase === undefined || phase === 'Active' || phase === 'Terminating') return [];
  return [fieldError.notSupported('status.phase', phase, ['Active', 'Terminating'])];
}

export const namespaces: ResourceType<Namespace> = {
  group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace',
  namespaced: false, shortNames: ['ns'],
  subresources: [
    { name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
    { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
  ],
  nameValidation: 'label',
  schema: NamespaceSchema,
  hasStatus: true,
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes(FINALIZER_KUBERNETES)) ns.spec = { ...ns.spec, finalizers: [...finalizers, FINALIZER_KUBERNETES] };
  },
  prepareForUpdate(ns, old) {
    // spec.finalizers changes only through the finalize subresource.
    if (old.spec) ns.spec = structuredClone(old.spec);
    else delete ns.spec;
  },
  defaults(ns) {
    // Upstream SetDefaults_Namespace: the name label always mirrors metadata.name.
    const name = ns.metadata?.name;
    if (name) {
      ns.metadata = { ...ns.metadata, labels: { ...ns.metadata?.labels, [LABEL_METADATA_NAME]: name } };
    }
    ns.status ??= {};
    ns.status.phase ||= 'Active';
  },
  validate(ns) {
    return [...validateNamespaceFinalizers(ns.spec?.finalizers), ...validateNamespaceStatus(ns)];
  },
  selectableFields: {
    'status.phase': (ns) => ns.status?.phase ?? '',
    name: (ns) => ns.metadata?.name ?? '', // upstream keeps this legacy alias of metadata.name
  },
};

