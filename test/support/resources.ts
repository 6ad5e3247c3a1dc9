// The resources integration tests talk to, as the client's resource references.
export const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };
export const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' };
export const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' };
export const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' };
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true, kind: 'Lease' };
export const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true, kind: 'Deployment' };
export const REPLICASETS = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true, kind: 'ReplicaSet' };
