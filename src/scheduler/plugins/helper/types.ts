// core/v1 types the scheduler needs that the api component exposes only as parts of Pod; derived
// here so plugins name them as Kubernetes users know them.
import type { Pod } from '../../../api/index.js';

type PodSpec = NonNullable<Pod['spec']>;
export type Toleration = NonNullable<PodSpec['tolerations']>[number];
export type Affinity = NonNullable<PodSpec['affinity']>;
export type NodeAffinity = NonNullable<Affinity['nodeAffinity']>;
export type NodeSelector = NonNullable<NodeAffinity['requiredDuringSchedulingIgnoredDuringExecution']>;
export type NodeSelectorTerm = NonNullable<NodeSelector['nodeSelectorTerms']>[number];
export type PreferredSchedulingTerm = NonNullable<NodeAffinity['preferredDuringSchedulingIgnoredDuringExecution']>[number];
