// Storage keys, as upstream's etcd layout: `/registry/<resource>/<namespace>/<name>` for the core
// group and `/registry/<group>/<resource>/<namespace>/<name>` for the others.
import type { ResourceType } from '../../api/index.js';

/** The key prefix holding every object of a resource type (ends with '/'). */
export function resourcePrefix(rt: ResourceType): string {
  return rt.group ? `/registry/${rt.group}/${rt.plural}/` : `/registry/${rt.plural}/`;
}

/** The key of one object. `namespace` is ignored for cluster-scoped types. */
export function objectKey(rt: ResourceType, namespace: string, name: string): string {
  return rt.namespaced ? `${resourcePrefix(rt)}${namespace}/${name}` : `${resourcePrefix(rt)}${name}`;
}

/** The prefix of one namespace's objects, or of all objects when namespace is empty. */
export function listPrefix(rt: ResourceType, namespace: string): string {
  return rt.namespaced && namespace ? `${resourcePrefix(rt)}${namespace}/` : resourcePrefix(rt);
}
