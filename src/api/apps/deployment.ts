// apps/v1 Deployment: declarative updates of ReplicaSets and their pods.
import { obj, int32, int64, bool, list, intOrString, enumStr, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { PodTemplateSpecSchema } from '../core/pod-spec.js';
import { validateNonnegative } from '../core/field-checks.js';
import { statusSubresource, scaleSubresource, workloadCondition, defaultTemplate, validateRollingUpdate, validateWorkloadTemplate, validateSelectorImmutable } from './workload.js';

export const RollingUpdateDeploymentSchema = obj('io.k8s.api.apps.v1.RollingUpdateDeployment', 'Spec to control the desired behavior of rolling update.', {
  maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'),
  maxSurge: intOrString('The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'),
});

export const DeploymentStrategySchema = obj('io.k8s.api.apps.v1.DeploymentStrategy', 'DeploymentStrategy describes how to replace existing pods with new ones.', {
  type: enumStr('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.', ['Recreate', 'RollingUpdate']),
  rollingUpdate: RollingUpdateDeploymentSchema,
});

export const DeploymentSpecSchema = obj('io.k8s.api.apps.v1.DeploymentSpec', 'DeploymentSpec is the specification of the desired behavior of the Deployment.', {
  replicas: int32('Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'),
  selector: withMeta(LabelSelector, { description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.' }),
  template: withMeta(PodTemplateSpecSchema, { description: 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".' }),
  strategy: withMeta(DeploymentStrategySchema, { description: 'The deployment strategy to use to replace existing pods with new ones.', 'x-kubernetes-patch-strategy': 'retainKeys' }),
  minReadySeconds: int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.'),
  revisionHistoryLimit: int32('The number of old ReplicaSets to retain to allow rollback. Defaults to 10.'),
  paused: bool('Indicates that the deployment is paused.'),
  progressDeadlineSeconds: int32('The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.'),
}, { required: ['selector', 'template'] });

export const DeploymentConditionSchema = workloadCondition('io.k8s.api.apps.v1.DeploymentCondition', 'DeploymentCondition describes the state of a deployment at a certain point.', true);

export const DeploymentStatusSchema = obj('io.k8s.api.apps.v1.DeploymentStatus', 'DeploymentStatus is the most recently observed status of the Deployment.', {
  observedGeneration: int64('The generation observed by the deployment controller.'),
  replicas: int32('Total number of non-terminating pods targeted by this deployment (their labels match the selector).'),
  updatedReplicas: int32('Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
  readyReplicas: int32('Total number of non-terminating pods targeted by this Deployment with a Ready Condition.'),
  availableReplicas: int32('Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
  unavailableReplicas: int32('Total number of unavailable pods targeted by this deployment.'),
  terminatingReplicas: int32('Total number of terminating pods targeted by this deployment.'),
  conditions: list(DeploymentConditionSchema, 'Represents the latest available observations of a deployment\'s current state.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  collisionCount: int32('Count of hash collisions for the Deployment.'),
});

export const DeploymentSchema = resourceSchema('io.k8s.api.apps.v1.Deployment', { group: 'apps', version: 'v1', kind: 'Deployment' },
  'Deployment enables declarative updates for Pods and ReplicaSets.', {
    spec: withMeta(DeploymentSpecSchema, { description: 'Specification of the desired behavior of the Deployment.' }),
    status: withMeta(DeploymentStatusSchema, { description: 'Most recently observed status of the Deployment.' }),
  });
export type Deployment = Static<typeof DeploymentSchema>;
export type DeploymentSpec = Static<typeof DeploymentSpecSchema>;
export type DeploymentStatus = Static<typeof DeploymentStatusSchema>;

/** Upstream apps/v1 SetDefaults_Deployment plus the template's pod defaults. */
export function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

/** Upstream ValidateDeploymentSpec. */
function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec ?? {};
  const errs = validateNonnegative(spec.replicas, 'spec.replicas');
  errs.push(...validateWorkloadTemplate(spec, 'deployment', 'ReplicaSet'));
  const strategy = spec.strategy ?? {};
  switch (strategy.type) {
    case 'Recreate':
      if (strategy.rollingUpdate) errs.push(fieldError.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
      break;
    case 'RollingUpdate':
      if (!strategy.rollingUpdate) errs.push(fieldError.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
      else errs.push(...validateRollingUpdate(strategy.rollingUpdate, 'spec.strategy.rollingUpdate'));
      break;
    default:
      errs.push(fieldError.notSupported('spec.strategy', strategy, ['Recreate', 'RollingUpdate']));
  }
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(fieldError.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export const deployments: ResourceType<Deployment> = {
  group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment',
  namespaced: true, shortNames: ['deploy'], categories: ['all'],
  subresources: [statusSubresource('Deployment'), scaleSubresource],
  schema: DeploymentSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(d) { d.status = {}; },
  defaults: defaultDeployment,
  validate: validateDeployment,
  validateUpdate(d, old) {
    return [...validateDeployment(d), ...validateSelectorImmutable(d.spec?.selector, old.spec?.selector)];
  },
};

