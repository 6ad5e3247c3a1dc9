// apps/v1 DaemonSet: one pod per eligible node.
import { obj, int32, int64, list, intOrString, enumStr, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { PodTemplateSpecSchema } from '../core/pod-spec.js';
import { validateNonnegative } from '../core/field-checks.js';
import { statusSubresource, workloadCondition, defaultTemplate, validateRollingUpdateDaemonSet, validateWorkloadTemplate, validateSelectorImmutable } from './workload.js';

export const RollingUpdateDaemonSetSchema = obj('io.k8s.api.apps.v1.RollingUpdateDaemonSet', 'Spec to control the desired behavior of daemon set rolling update.', {
  maxUnavailable: intOrString('The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%). Default value is 1.'),
  maxSurge: intOrString('The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during during an update. Default value is 0.'),
});

export const DaemonSetUpdateStrategySchema = obj('io.k8s.api.apps.v1.DaemonSetUpdateStrategy', 'DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet.', {
  type: enumStr('Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.', ['OnDelete', 'RollingUpdate']),
  rollingUpdate: RollingUpdateDaemonSetSchema,
});

export const DaemonSetSpecSchema = obj('io.k8s.api.apps.v1.DaemonSetSpec', 'DaemonSetSpec is the specification of a daemon set.', {
  selector: withMeta(LabelSelector, { description: 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels.' }),
  template: withMeta(PodTemplateSpecSchema, { description: 'An object that describes the pod that will be created. The only allowed template.spec.restartPolicy value is "Always".' }),
  updateStrategy: withMeta(DaemonSetUpdateStrategySchema, { description: 'An update strategy to replace existing DaemonSet pods with new pods.' }),
  minReadySeconds: int32('The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.'),
  revisionHistoryLimit: int32('The number of old history to retain to allow rollback. Defaults to 10.'),
}, { required: ['selector', 'template'] });

export const DaemonSetConditionSchema = workloadCondition('io.k8s.api.apps.v1.DaemonSetCondition', 'DaemonSetCondition describes the state of a DaemonSet at a certain point.');

export const DaemonSetStatusSchema = obj('io.k8s.api.apps.v1.DaemonSetStatus', 'DaemonSetStatus represents the current status of a daemon set.', {
  currentNumberScheduled: int32('The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
  numberMisscheduled: int32('The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod.'),
  desiredNumberScheduled: int32('The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
  numberReady: int32('numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
  observedGeneration: int64('The most recent generation observed by the daemon set controller.'),
  updatedNumberScheduled: int32('The total number of nodes that are running updated daemon pod'),
  numberAvailable: int32('The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
  numberUnavailable: int32('The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
  collisionCount: int32('Count of hash collisions for the DaemonSet.'),
  conditions: list(DaemonSetConditionSchema, 'Represents the latest available observations of a DaemonSet\'s current state.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
}, { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] });

export const DaemonSetSchema = resourceSchema('io.k8s.api.apps.v1.DaemonSet', { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  'DaemonSet represents the configuration of a daemon set.', {
    spec: withMeta(DaemonSetSpecSchema, { description: 'The desired behavior of this daemon set. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
    status: withMeta(DaemonSetStatusSchema, { description: 'The current status of this daemon set. This data may be out of date by some window of time. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
  });
export type DaemonSet = Static<typeof DaemonSetSchema>;
export type DaemonSetSpec = Static<typeof DaemonSetSpecSchema>;

/** Upstream apps/v1 SetDefaults_DaemonSet plus the template's pod defaults. */
export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = (ds.spec ??= {});
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template);
}

/** Upstream ValidateDaemonSetSpec. */
function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec ?? {};
  const errs = validateWorkloadTemplate(spec, 'daemonset', 'DaemonSet', false);
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate':
      if (!strategy.rollingUpdate) errs.push(fieldError.required('spec.updateStrategy.rollingUpdate'));
      else errs.push(...validateRollingUpdateDaemonSet(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
      break;
    default:
      errs.push(fieldError.notSupported('spec.updateStrategy', strategy, ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export const daemonSets: ResourceType<DaemonSet> = {
  group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset',
  namespaced: true, shortNames: ['ds'], categories: ['all'],
  subresources: [statusSubresource('DaemonSet')],
  schema: DaemonSetSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(ds) { ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }; },
  defaults: defaultDaemonSet,
  validate: validateDaemonSet,
  validateUpdate(ds, old) {
    return [...validateDaemonSet(ds), ...validateSelectorImmutable(ds.spec?.selector, old.spec?.selector)];
  },
};
