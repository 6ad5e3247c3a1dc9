// networking.k8s.io: resource types, schemas and types.
import type { ResourceType } from '../resource.js';
import { networkPolicies } from './network-policy.js';
import { ingresses } from './ingress.js';
import { ingressClasses } from './ingress-class.js';

export const NETWORKING_RESOURCES: readonly ResourceType<any>[] = [networkPolicies, ingresses, ingressClasses];

export * from './network-policy.js';
export * from './ingress.js';
export * from './ingress-validation.js';
export * from './ingress-class.js';
