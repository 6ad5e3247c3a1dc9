// autoscaling/v1 HorizontalPodAutoscaler (CPU utilization only). Stored in its own v1 shape for
// now: it is not converted to or from the autoscaling/v2 objects.
import { obj, str, int32, int64, time, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { validateCrossVersionObjectReference, validateReplicaBounds } from './hpa-common.js';

export const CrossVersionObjectReferenceV1Schema = obj('io.k8s.api.autoscaling.v1.CrossVersionObjectReference', 'CrossVersionObjectReference contains enough information to let you identify the referred resource.', {
  kind: str('kind is the kind of the referent.'),
  name: str('name is the name of the referent.'),
  apiVersion: str('apiVersion is the API version of the referent'),
}, { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const HorizontalPodAutoscalerV1Schema = resourceSchema('io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler', { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' },
  'configuration of a horizontal pod autoscaler.', {
    spec: obj('io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec', 'specification of a horizontal pod autoscaler.', {
      scaleTargetRef: CrossVersionObjectReferenceV1Schema,
      minReplicas: int32('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.'),
      maxReplicas: int32('maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.'),
      targetCPUUtilizationPercentage: int32('targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.'),
    }, { required: ['scaleTargetRef', 'maxReplicas'] }),
    status: obj('io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus', 'current status of a horizontal pod autoscaler', {
      observedGeneration: int64('observedGeneration is the most recent generation observed by this autoscaler.'),
      lastScaleTime: time('lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods.'),
      currentReplicas: int32('currentReplicas is the current number of replicas of pods managed by this autoscaler.'),
      desiredReplicas: int32('desiredReplicas is the desired number of replicas of pods managed by this autoscaler.'),
      currentCPUUtilizationPercentage: int32('currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU.'),
    }, { required: ['currentReplicas', 'desiredReplicas'] }),
  });
export type HorizontalPodAutoscalerV1 = Static<typeof HorizontalPodAutoscalerV1Schema>;

export function validateHorizontalPodAutoscalerV1(hpa: HorizontalPodAutoscalerV1): FieldError[] {
  const spec = hpa.spec ?? {};
  const errs = validateReplicaBounds(spec.minReplicas, spec.maxReplicas);
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage < 1) {
    errs.push(fieldError.invalid('spec.targetCPUUtilizationPercentage', spec.targetCPUUtilizationPercentage, 'must be greater than 0'));
  }
  return errs;
}

export const horizontalPodAutoscalersV1: ResourceType<HorizontalPodAutoscalerV1> = {
  group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler',
  namespaced: true, shortNames: ['hpa'], categories: ['all'],
  subresources: [{ name: 'status', kind: 'HorizontalPodAutoscaler', verbs: ['get', 'patch', 'update'] }],
  schema: HorizontalPodAutoscalerV1Schema,
  hasStatus: true,
  prepareForCreate(hpa) {
    delete hpa.status;
  },
  defaults(hpa) {
    (hpa.spec ??= {}).minReplicas ??= 1;
  },
  validate: (hpa) => validateHorizontalPodAutoscalerV1(hpa),
};
