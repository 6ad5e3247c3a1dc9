// Shapes of a pod's parts, derived from the Pod type the api component exports.
import type { Pod } from '../../api/index.js';

type Spec = NonNullable<Pod['spec']>;
export type Container = NonNullable<Spec['containers']>[number];
export type Volume = NonNullable<Spec['volumes']>[number];
export type SecurityContext = NonNullable<Container['securityContext']>;
