// Where the resources a node agent reads and writes live in the API (group, version, plural),
// without their schemas: `client.resource(podsRef)` talks to the same endpoints as
// `client.resource(pods)`, and a process that never validates objects (the kubelet) need not
// load the schema catalogue. resource-refs.test.ts checks each against the catalogue.
import type { ResourceType } from './resource.js';

/** The part of a ResourceType that addresses it; what `Client.resource` reads. */
export type ResourceAddress = Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural' | 'namespaced'>;

export const podsRef: ResourceAddress = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
export const nodesRef: ResourceAddress = { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };
export const configMapsRef: ResourceAddress = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const secretsRef: ResourceAddress = { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
export const servicesRef: ResourceAddress = { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true };
export const persistentVolumesRef: ResourceAddress = { group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false };
export const persistentVolumeClaimsRef: ResourceAddress = {
  group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true,
};
export const leasesRef: ResourceAddress = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true };
/** For node roles besides the kubelet (service proxy, cluster DNS), so they load no schema either. */
export const endpointsRef: ResourceAddress = { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true };
export const endpointSlicesRef: ResourceAddress = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true };
export const namespacesRef: ResourceAddress = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
