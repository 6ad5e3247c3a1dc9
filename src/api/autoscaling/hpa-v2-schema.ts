// autoscaling/v2 HorizontalPodAutoscaler schema: metric sources, targets, scaling behavior, status.
import { obj, str, int32, int64, list, quantity, enumStr, time, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector } from '../schema/meta.js';

const V2 = 'io.k8s.api.autoscaling.v2.';
export const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'] as const;
export const METRIC_TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'] as const;

export const CrossVersionObjectReferenceSchema = obj(`${V2}CrossVersionObjectReference`, 'CrossVersionObjectReference contains enough information to let you identify the referred resource.', {
  kind: str('kind is the kind of the referent.'),
  name: str('name is the name of the referent.'),
  apiVersion: str('apiVersion is the API version of the referent'),
}, { required: ['kind', 'name'] });

export const MetricIdentifierSchema = obj(`${V2}MetricIdentifier`, 'MetricIdentifier defines the name and optionally selector for a metric', {
  name: str('name is the name of the given metric'),
  selector: LabelSelector,
}, { required: ['name'] });

export const MetricTargetSchema = obj(`${V2}MetricTarget`, 'MetricTarget defines the target value, average value, or average utilization of a specific metric', {
  type: str('type represents whether the metric type is Utilization, Value, or AverageValue'),
  value: quantity('value is the target value of the metric (as a quantity).'),
  averageValue: quantity('averageValue is the target value of the average of the metric across all relevant pods (as a quantity)'),
  averageUtilization: int32('averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.'),
}, { required: ['type'] });

export const MetricValueStatusSchema = obj(`${V2}MetricValueStatus`, 'MetricValueStatus holds the current value for a metric', {
  value: quantity('value is the current value of the metric (as a quantity).'),
  averageValue: quantity('averageValue is the current value of the average of the metric across all relevant pods (as a quantity)'),
  averageUtilization: int32('currentAverageUtilization is the current value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.'),
});

export const MetricSpecSchema = obj(`${V2}MetricSpec`, 'MetricSpec specifies how to scale based on a single metric (only `type` and one other matching field should be set at once).', {
  type: enumStr('type is the type of metric source.', METRIC_SOURCE_TYPES),
  object: obj(`${V2}ObjectMetricSource`, 'ObjectMetricSource indicates how to scale on a metric describing a kubernetes object (for example, hits-per-second on an Ingress object).', {
    describedObject: CrossVersionObjectReferenceSchema, target: MetricTargetSchema, metric: MetricIdentifierSchema,
  }, { required: ['describedObject', 'target', 'metric'] }),
  pods: obj(`${V2}PodsMetricSource`, 'PodsMetricSource indicates how to scale on a metric describing each pod in the current scale target.', {
    metric: MetricIdentifierSchema, target: MetricTargetSchema,
  }, { required: ['metric', 'target'] }),
  resource: obj(`${V2}ResourceMetricSource`, 'ResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits.', {
    name: str('name is the name of the resource in question.'), target: MetricTargetSchema,
  }, { required: ['name', 'target'] }),
  containerResource: obj(`${V2}ContainerResourceMetricSource`, 'ContainerResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, for one container of each pod.', {
    name: str('name is the name of the resource in question.'), target: MetricTargetSchema, container: str('container is the name of the container in the pods of the scaling target'),
  }, { required: ['name', 'target', 'container'] }),
  external: obj(`${V2}ExternalMetricSource`, 'ExternalMetricSource indicates how to scale on a metric not associated with any Kubernetes object.', {
    metric: MetricIdentifierSchema, target: MetricTargetSchema,
  }, { required: ['metric', 'target'] }),
}, { required: ['type'] });
export type MetricSpec = Static<typeof MetricSpecSchema>;
export type MetricTarget = Static<typeof MetricTargetSchema>;

export const MetricStatusSchema = obj(`${V2}MetricStatus`, 'MetricStatus describes the last-read state of a single metric.', {
  type: enumStr('type is the type of metric source.', METRIC_SOURCE_TYPES),
  object: obj(`${V2}ObjectMetricStatus`, 'ObjectMetricStatus indicates the current value of a metric describing a kubernetes object.', {
    metric: MetricIdentifierSchema, current: MetricValueStatusSchema, describedObject: CrossVersionObjectReferenceSchema,
  }, { required: ['metric', 'current', 'describedObject'] }),
  pods: obj(`${V2}PodsMetricStatus`, 'PodsMetricStatus indicates the current value of a metric describing each pod in the current scale target.', {
    metric: MetricIdentifierSchema, current: MetricValueStatusSchema,
  }, { required: ['metric', 'current'] }),
  resource: obj(`${V2}ResourceMetricStatus`, 'ResourceMetricStatus indicates the current value of a resource metric known to Kubernetes.', {
    name: str('name is the name of the resource in question.'), current: MetricValueStatusSchema,
  }, { required: ['name', 'current'] }),
  containerResource: obj(`${V2}ContainerResourceMetricStatus`, 'ContainerResourceMetricStatus indicates the current value of a resource metric known to Kubernetes, for one container of each pod.', {
    name: str('name is the name of the resource in question.'), current: MetricValueStatusSchema, container: str('container is the name of the container in the pods of the scaling target'),
  }, { required: ['name', 'current', 'container'] }),
  external: obj(`${V2}ExternalMetricStatus`, 'ExternalMetricStatus indicates the current value of a global metric not associated with any Kubernetes object.', {
    metric: MetricIdentifierSchema, current: MetricValueStatusSchema,
  }, { required: ['metric', 'current'] }),
}, { required: ['type'] });

export const HPAScalingPolicySchema = obj(`${V2}HPAScalingPolicy`, 'HPAScalingPolicy is a single policy which must hold true for a specified past interval.', {
  type: str('type is used to specify the scaling policy.'),
  value: int32('value contains the amount of change which is permitted by the policy. It must be greater than zero'),
  periodSeconds: int32('periodSeconds specifies the window of time for which the policy should hold true. PeriodSeconds must be greater than zero and less than or equal to 1800 (30 min).'),
}, { required: ['type', 'value', 'periodSeconds'] });

export const HPAScalingRulesSchema = obj(`${V2}HPAScalingRules`, 'HPAScalingRules configures the scaling behavior for one direction via scaling Policy Rules and a configurable metric tolerance.', {
  stabilizationWindowSeconds: int32('stabilizationWindowSeconds is the number of seconds for which past recommendations should be considered while scaling up or scaling down.'),
  selectPolicy: str('selectPolicy is used to specify which policy should be used. If not set, the default value Max is used.'),
  policies: list(HPAScalingPolicySchema, 'policies is a list of potential scaling polices which can be used during scaling.', { listType: 'atomic' }),
  tolerance: quantity('tolerance is the tolerance on the ratio between the current and desired metric value under which no updates are made to the desired number of replicas.'),
});
export type HPAScalingRules = Static<typeof HPAScalingRulesSchema>;

export const HorizontalPodAutoscalerConditionSchema = obj(`${V2}HorizontalPodAutoscalerCondition`, 'HorizontalPodAutoscalerCondition describes the state of a HorizontalPodAutoscaler at a certain point.', {
  type: str('type describes the current condition'),
  status: str('status is the status of the condition (True, False, Unknown)'),
  lastTransitionTime: time('lastTransitionTime is the last time the condition transitioned from one status to another'),
  reason: str('reason is the reason for the condition\'s last transition.'),
  message: str('message is a human-readable explanation containing details about the transition'),
}, { required: ['type', 'status'] });

export const HorizontalPodAutoscalerV2Schema = resourceSchema(`${V2}HorizontalPodAutoscaler`, { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
  'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.', {
    spec: obj(`${V2}HorizontalPodAutoscalerSpec`, 'HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.', {
      scaleTargetRef: CrossVersionObjectReferenceSchema,
      minReplicas: int32('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.'),
      maxReplicas: int32('maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
      metrics: list(MetricSpecSchema, 'metrics contains the specifications for which to use to calculate the desired replica count. If not set, the default metric will be set to 80% average CPU utilization.', { listType: 'atomic' }),
      behavior: obj(`${V2}HorizontalPodAutoscalerBehavior`, 'HorizontalPodAutoscalerBehavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).', {
        scaleUp: HPAScalingRulesSchema,
        scaleDown: HPAScalingRulesSchema,
      }),
    }, { required: ['scaleTargetRef', 'maxReplicas'] }),
    status: obj(`${V2}HorizontalPodAutoscalerStatus`, 'HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.', {
      observedGeneration: int64('observedGeneration is the most recent generation observed by this autoscaler.'),
      lastScaleTime: time('lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed.'),
      currentReplicas: int32('currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
      desiredReplicas: int32('desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler.'),
      currentMetrics: list(MetricStatusSchema, 'currentMetrics is the last read state of the metrics used by this autoscaler.', { listType: 'atomic' }),
      conditions: list(HorizontalPodAutoscalerConditionSchema, 'conditions is the set of conditions required for this autoscaler to scale its target, and indicates whether or not those conditions are met.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
    }, { required: ['desiredReplicas'] }),
  });
export type HorizontalPodAutoscalerV2 = Static<typeof HorizontalPodAutoscalerV2Schema>;
