// core/v1 Pod: schema, upstream strategy (status on create, QoS class), defaults, validation and
// the field selectors kubectl and the kubelet use.
import { withMeta, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType, SubresourceType } from '../resource.js';
import type { FieldError } from '../field-errors.js';
import { fieldError } from '../field-errors.js';
import { PodSpecSchema } from './pod-spec.js';
import { PodStatusSchema } from './pod-status.js';
import { defaultPod } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';
import { validatePodSpecUpdate } from './pod-update.js';
import { computeQOSClass } from './pod-qos.js';

export { PodSpecSchema, PodTemplateSpecSchema, type PodSpec, type PodTemplateSpec } from './pod-spec.js';
export { PodStatusSchema, type PodStatus } from './pod-status.js';
export { defaultPodSpec, defaultPod } from './pod-defaults.js';
export { validatePodSpec } from './pod-validation.js';

export const PodSchema = resourceSchema('io.k8s.api.core.v1.Pod', { group: '', version: 'v1', kind: 'Pod' },
  'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.', {
    spec: withMeta(PodSpecSchema, { description: 'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
    status: withMeta(PodStatusSchema, { description: 'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
  });
export type Pod = Static<typeof PodSchema>;

const POD_SUBRESOURCES: SubresourceType[] = [
  { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  { name: 'binding', kind: 'Binding', verbs: ['create'] },
  { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  { name: 'log', kind: 'Pod', verbs: ['get'] },
  { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
];

/** Upstream podStrategy.PrepareForCreate: a new pod is Pending with its QoS class computed. */
function preparePodForCreate(pod: Pod): void {
  // Requests default from limits before the QoS class is computed, as upstream decodes first.
  defaultPod(pod);
  pod.status = { phase: 'Pending', qosClass: computeQOSClass(pod.spec ?? {}) };
  if ((pod.spec?.schedulingGates ?? []).length > 0) {
    pod.status.conditions = [{
      type: 'PodScheduled', status: 'False', reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    }];
  }
}

function validatePod(pod: Pod): FieldError[] {
  return validatePodSpec(pod.spec ?? {}, 'spec');
}

export const pods: ResourceType<Pod> = {
  group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod',
  namespaced: true, shortNames: ['po'], categories: ['all'],
  subresources: POD_SUBRESOURCES,
  schema: PodSchema,
  hasStatus: true,
  prepareForCreate: preparePodForCreate,
  defaults: defaultPod,
  validate(pod) {
    const errs = validatePod(pod);
    if ((pod.spec?.ephemeralContainers ?? []).length > 0) errs.push(fieldError.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    return errs;
  },
  validateUpdate(pod, old) {
    return [...validatePod(pod), ...validatePodSpecUpdate(pod.spec ?? {}, old.spec ?? {})];
  },
  selectableFields: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork === true),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIPs?.[0]?.ip ?? p.status?.podIP ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
};
