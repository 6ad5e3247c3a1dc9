// apps/v1 StatefulSet: pods with stable identities and per-pod persistent volume claims.
import { obj, int32, int64, str, list, intOrString, enumStr, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError, indexPath } from '../field-errors.js';
import { PodTemplateSpecSchema } from '../core/pod-spec.js';
import { PersistentVolumeClaimSchema, defaultPersistentVolumeClaim } from '../core/volume-claim.js';
import { validatePersistentVolumeClaimSpec } from '../core/persistent-volume-claim.js';
import { validateNonnegative, jsonEqual } from '../core/field-checks.js';
import { statusSubresource, scaleSubresource, workloadCondition, defaultTemplate, validateWorkloadTemplate, validatePositiveIntOrPercent, validateNotMoreThan100Percent } from './workload.js';

export const RollingUpdateStatefulSetStrategySchema = obj('io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy', 'RollingUpdateStatefulSetStrategy is used to communicate parameter for RollingUpdateStatefulSetStrategyType.', {
  partition: int32('Partition indicates the ordinal at which the StatefulSet should be partitioned for updates. Default value is 0.'),
  maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update. Defaults to 1.'),
});

export const StatefulSetUpdateStrategySchema = obj('io.k8s.api.apps.v1.StatefulSetUpdateStrategy', 'StatefulSetUpdateStrategy indicates the strategy that the StatefulSet controller will use to perform updates.', {
  type: enumStr('Type indicates the type of the StatefulSetUpdateStrategy. Default is RollingUpdate.', ['OnDelete', 'RollingUpdate']),
  rollingUpdate: RollingUpdateStatefulSetStrategySchema,
});

export const StatefulSetPersistentVolumeClaimRetentionPolicySchema = obj('io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy', 'StatefulSetPersistentVolumeClaimRetentionPolicy describes the policy used for PVCs created from the StatefulSet VolumeClaimTemplates.', {
  whenDeleted: str('WhenDeleted specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is deleted. The default policy of `Retain` causes PVCs to not be affected by StatefulSet deletion.'),
  whenScaled: str('WhenScaled specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is scaled down. The default policy of `Retain` causes PVCs to not be affected by a scaledown.'),
});

export const StatefulSetOrdinalsSchema = obj('io.k8s.api.apps.v1.StatefulSetOrdinals', 'StatefulSetOrdinals describes the policy used for replica ordinal assignment in this StatefulSet.', {
  start: int32('start is the number representing the first replica\'s index. Default value is 0.'),
});

export const StatefulSetSpecSchema = obj('io.k8s.api.apps.v1.StatefulSetSpec', 'A StatefulSetSpec is the specification of a StatefulSet.', {
  replicas: int32('replicas is the desired number of replicas of the given Template. Defaults to 1.'),
  selector: withMeta(LabelSelector, { description: 'selector is a label query over pods that should match the replica count. It must match the pod template\'s labels.' }),
  template: withMeta(PodTemplateSpecSchema, { description: 'template is the object that describes the pod that will be created if insufficient replicas are detected. The only allowed template.spec.restartPolicy value is "Always".' }),
  volumeClaimTemplates: list(PersistentVolumeClaimSchema, 'volumeClaimTemplates is a list of claims that pods are allowed to reference.', { listType: 'atomic' }),
  serviceName: str('serviceName is the name of the service that governs this StatefulSet.'),
  podManagementPolicy: enumStr('podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down. The default policy is `OrderedReady`.', ['OrderedReady', 'Parallel']),
  updateStrategy: withMeta(StatefulSetUpdateStrategySchema, { description: 'updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.' }),
  revisionHistoryLimit: int32('revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet\'s revision history. Defaults to 10.'),
  minReadySeconds: int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing for it to be considered available. Defaults to 0.'),
  persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicySchema,
  ordinals: StatefulSetOrdinalsSchema,
}, { required: ['selector', 'template'] });

export const StatefulSetConditionSchema = workloadCondition('io.k8s.api.apps.v1.StatefulSetCondition', 'StatefulSetCondition describes the state of a statefulset at a certain point.');

export const StatefulSetStatusSchema = obj('io.k8s.api.apps.v1.StatefulSetStatus', 'StatefulSetStatus represents the current state of a StatefulSet.', {
  observedGeneration: int64('observedGeneration is the most recent generation observed for this StatefulSet.'),
  replicas: int32('replicas is the number of Pods created by the StatefulSet controller.'),
  readyReplicas: int32('readyReplicas is the number of pods created for this StatefulSet with a Ready Condition.'),
  currentReplicas: int32('currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.'),
  updatedReplicas: int32('updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision.'),
  currentRevision: str('currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).'),
  updateRevision: str('updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)'),
  collisionCount: int32('collisionCount is the count of hash collisions for the StatefulSet.'),
  conditions: list(StatefulSetConditionSchema, 'Represents the latest available observations of a statefulset\'s current state.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  availableReplicas: int32('Total number of available pods (ready for at least minReadySeconds) targeted by this statefulset.'),
}, { required: ['replicas'] });

export const StatefulSetSchema = resourceSchema('io.k8s.api.apps.v1.StatefulSet', { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  'StatefulSet represents a set of pods with consistent identities.', {
    spec: withMeta(StatefulSetSpecSchema, { description: 'Spec defines the desired identities of pods in this set.' }),
    status: withMeta(StatefulSetStatusSchema, { description: 'Status is the current status of Pods in this StatefulSet. This data may be out of date by some window of time.' }),
  });
export type StatefulSet = Static<typeof StatefulSetSchema>;
export type StatefulSetSpec = Static<typeof StatefulSetSpecSchema>;

const RETENTION_POLICIES = ['Retain', 'Delete'];

/** Upstream apps/v1 SetDefaults_StatefulSet plus template and claim-template defaults. */
export function defaultStatefulSet(sts: StatefulSet): void {
  const spec = (sts.spec ??= {});
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template);
  for (const pvc of spec.volumeClaimTemplates ?? []) defaultPersistentVolumeClaim(pvc);
}

/** Upstream ValidateStatefulSetSpec. */
function validateStatefulSet(sts: StatefulSet): FieldError[] {
  const spec = sts.spec ?? {};
  const errs: FieldError[] = [];
  switch (spec.podManagementPolicy ?? '') {
    case '': errs.push(fieldError.required('spec.podManagementPolicy')); break;
    case 'OrderedReady': case 'Parallel': break;
    default: errs.push(fieldError.invalid('spec.podManagementPolicy', spec.podManagementPolicy, 'must be \'OrderedReady\' or \'Parallel\''));
  }
  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type ?? '') {
    case '': errs.push(fieldError.required('spec.updateStrategy')); break;
    case 'OnDelete':
      if (strategy.rollingUpdate) errs.push(fieldError.invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, 'only allowed for updateStrategy \'RollingUpdate\''));
      break;
    case 'RollingUpdate':
      if (strategy.rollingUpdate) {
        const ru = strategy.rollingUpdate;
        errs.push(...validateNonnegative(ru.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        if (ru.maxUnavailable !== undefined) {
          const p = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
          errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, p));
          if (ru.maxUnavailable === 0 || ru.maxUnavailable === '0%') errs.push(fieldError.invalid(p, ru.maxUnavailable, 'cannot be 0'));
          errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, p));
        }
      }
      break;
    default: errs.push(fieldError.invalid('spec.updateStrategy', strategy, 'must be \'RollingUpdate\' or \'OnDelete\''));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    for (const f of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[f] ?? '';
      if (!RETENTION_POLICIES.includes(v)) errs.push(fieldError.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, RETENTION_POLICIES));
    }
  }
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.ordinals?.start, 'spec.ordinals.start'));
  // Containers mount volumeClaimTemplates by name without a pod volume of that name (upstream
  // skips pod-spec validation of a StatefulSet template for this reason): validate the template
  // as the pods will be, with each claim template present as a PVC volume.
  errs.push(...validateWorkloadTemplate({ ...spec, template: withClaimVolumes(spec) }, 'statefulset', 'StatefulSet'));
  (spec.volumeClaimTemplates ?? []).forEach((pvc, i) => {
    errs.push(...validatePersistentVolumeClaimSpec(pvc.spec ?? {}, `${indexPath('spec.volumeClaimTemplates', i)}.spec`));
  });
  return errs;
}

/** Fields of a StatefulSet spec that may change after creation (upstream ValidateStatefulSetUpdate). */
const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;

function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const errs = validateStatefulSet(sts);
  const next: Record<string, unknown> = { ...(sts.spec ?? {}) };
  const prev: Record<string, unknown> = { ...(old.spec ?? {}) };
  for (const f of MUTABLE_SPEC_FIELDS) { delete next[f]; delete prev[f]; }
  if (!jsonEqual(next, prev)) {
    errs.push(fieldError.forbidden('spec', 'updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden'));
  }
  return errs;
}

export const statefulSets: ResourceType<StatefulSet> = {
  group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset',
  namespaced: true, shortNames: ['sts'], categories: ['all'],
  subresources: [statusSubresource('StatefulSet'), scaleSubresource],
  schema: StatefulSetSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(sts) { sts.status = { replicas: 0, availableReplicas: 0 }; },
  defaults: defaultStatefulSet,
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
};

/** The template with a persistentVolumeClaim volume for each claim template it does not name already. */
function withClaimVolumes(spec: NonNullable<StatefulSet['spec']>): NonNullable<StatefulSet['spec']>['template'] {
  const template = spec.template;
  const claims = spec.volumeClaimTemplates ?? [];
  if (!template?.spec || claims.length === 0) return template;
  const volumes = [...(template.spec.volumes ?? [])];
  for (const c of claims) {
    const name = c.metadata?.name;
    if (name && !volumes.some((v) => v.name === name)) volumes.push({ name, persistentVolumeClaim: { claimName: name } });
  }
  return { ...template, spec: { ...template.spec, volumes } };
}
