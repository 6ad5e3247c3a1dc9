// core/v1 scheduling constraints: node/pod (anti-)affinity, tolerations, topology spread.
import { obj, str, int32, int64, list, enumStr, type Static } from '../schema/builder.js';
import { LabelSelector } from '../schema/meta.js';

export const NodeSelectorRequirementSchema = obj('io.k8s.api.core.v1.NodeSelectorRequirement', 'A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.', {
  key: str('The label key that the selector applies to.'),
  operator: enumStr('Represents a key\'s relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt.', ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']),
  values: list(str(), 'An array of string values.', { listType: 'atomic' }),
}, { required: ['key', 'operator'] });

export const NodeSelectorTermSchema = obj('io.k8s.api.core.v1.NodeSelectorTerm', 'A null or empty node selector term matches no objects. The requirements of them are ANDed.', {
  matchExpressions: list(NodeSelectorRequirementSchema, 'A list of node selector requirements by node\'s labels.', { listType: 'atomic' }),
  matchFields: list(NodeSelectorRequirementSchema, 'A list of node selector requirements by node\'s fields.', { listType: 'atomic' }),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });
export type NodeSelectorTerm = Static<typeof NodeSelectorTermSchema>;

export const NodeSelectorSchema = obj('io.k8s.api.core.v1.NodeSelector', 'A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms.', {
  nodeSelectorTerms: list(NodeSelectorTermSchema, 'Required. A list of node selector terms. The terms are ORed.', { listType: 'atomic' }),
}, { required: ['nodeSelectorTerms'], extra: { 'x-kubernetes-map-type': 'atomic' } });
export type NodeSelector = Static<typeof NodeSelectorSchema>;

export const PreferredSchedulingTermSchema = obj('io.k8s.api.core.v1.PreferredSchedulingTerm', 'An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it\'s a no-op).', {
  weight: int32('Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.'),
  preference: NodeSelectorTermSchema,
}, { required: ['weight', 'preference'] });

export const NodeAffinitySchema = obj('io.k8s.api.core.v1.NodeAffinity', 'Node affinity is a group of node affinity scheduling rules.', {
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelectorSchema,
  preferredDuringSchedulingIgnoredDuringExecution: list(PreferredSchedulingTermSchema, 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.', { listType: 'atomic' }),
});

export const PodAffinityTermSchema = obj('io.k8s.api.core.v1.PodAffinityTerm', 'Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with.', {
  labelSelector: LabelSelector,
  namespaces: list(str(), 'namespaces specifies a static list of namespace names that the term applies to.', { listType: 'atomic' }),
  topologyKey: str('This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.'),
  namespaceSelector: LabelSelector,
  matchLabelKeys: list(str(), 'MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.', { listType: 'atomic' }),
  mismatchLabelKeys: list(str(), 'MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.', { listType: 'atomic' }),
}, { required: ['topologyKey'] });
export type PodAffinityTerm = Static<typeof PodAffinityTermSchema>;

export const WeightedPodAffinityTermSchema = obj('io.k8s.api.core.v1.WeightedPodAffinityTerm', 'The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)', {
  weight: int32('weight associated with matching the corresponding podAffinityTerm, in the range 1-100.'),
  podAffinityTerm: PodAffinityTermSchema,
}, { required: ['weight', 'podAffinityTerm'] });

const podAffinityFields = (what: string) => ({
  requiredDuringSchedulingIgnoredDuringExecution: list(PodAffinityTermSchema, `If the ${what} requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.`, { listType: 'atomic' }),
  preferredDuringSchedulingIgnoredDuringExecution: list(WeightedPodAffinityTermSchema, `The scheduler will prefer to schedule pods to nodes that satisfy the ${what} expressions specified by this field.`, { listType: 'atomic' }),
});

export const PodAffinitySchema = obj('io.k8s.api.core.v1.PodAffinity', 'Pod affinity is a group of inter pod affinity scheduling rules.', podAffinityFields('affinity'));
export const PodAntiAffinitySchema = obj('io.k8s.api.core.v1.PodAntiAffinity', 'Pod anti affinity is a group of inter pod anti affinity scheduling rules.', podAffinityFields('anti-affinity'));

export const AffinitySchema = obj('io.k8s.api.core.v1.Affinity', 'Affinity is a group of affinity scheduling rules.', {
  nodeAffinity: NodeAffinitySchema,
  podAffinity: PodAffinitySchema,
  podAntiAffinity: PodAntiAffinitySchema,
});
export type Affinity = Static<typeof AffinitySchema>;

export const TolerationSchema = obj('io.k8s.api.core.v1.Toleration', 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.', {
  key: str('Key is the taint key that the toleration applies to. Empty means match all taint keys.'),
  operator: enumStr('Operator represents a key\'s relationship to the value. Valid operators are Exists and Equal. Defaults to Equal.', ['Equal', 'Exists']),
  value: str('Value is the taint value the toleration matches to.'),
  effect: enumStr('Effect indicates the taint effect to match. Empty means match all taint effects.', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']),
  tolerationSeconds: int64('TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint.'),
});
export type Toleration = Static<typeof TolerationSchema>;

export const TopologySpreadConstraintSchema = obj('io.k8s.api.core.v1.TopologySpreadConstraint', 'TopologySpreadConstraint specifies how to spread matching pods among the given topology.', {
  maxSkew: int32('MaxSkew describes the degree to which pods may be unevenly distributed. It\'s a required field. Default value is 1 and 0 is not allowed.'),
  topologyKey: str('TopologyKey is the key of node labels.'),
  whenUnsatisfiable: enumStr('WhenUnsatisfiable indicates how to deal with a pod if it doesn\'t satisfy the spread constraint.', ['DoNotSchedule', 'ScheduleAnyway']),
  labelSelector: LabelSelector,
  minDomains: int32('MinDomains indicates a minimum number of eligible domains.'),
  nodeAffinityPolicy: enumStr('NodeAffinityPolicy indicates how we will treat Pod\'s nodeAffinity/nodeSelector when calculating pod topology spread skew.', ['Honor', 'Ignore']),
  nodeTaintsPolicy: enumStr('NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew.', ['Honor', 'Ignore']),
  matchLabelKeys: list(str(), 'MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated.', { listType: 'atomic' }),
}, { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] });
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraintSchema>;
