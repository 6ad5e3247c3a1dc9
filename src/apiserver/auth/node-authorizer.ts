// The Node authorizer (upstream's Node authorizer plus the system:node rules, kept simple):
// a kubelet authenticated as user `system:node:<name>` in group `system:nodes` may read what a
// kubelet reads, write its own Node and Lease, report status of and delete pods, and create
// events. Whether the object is really its own (a Node or Lease created under another name, a
// pod bound elsewhere) is checked by the NodeRestriction admission plugin, which sees the
// object; this authorizer sees only the request. Anything else gets no opinion (then a 403).
import type { UserInfo } from '../http/types.js';
import type { AuthorizationAttributes, Authorizer, Decision, ResourceRule } from './authorizer.js';

export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The node name of a kubelet's user, or undefined when `user` is not a node. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.groups.includes(NODES_GROUP) || !user.name.startsWith(NODE_USER_PREFIX)) return undefined;
  const name = user.name.slice(NODE_USER_PREFIX.length);
  return name || undefined;
}

const READ = ['get', 'list', 'watch'];
/** What a kubelet reads: `group/resource`. */
const READABLE = new Set([
  '/nodes', '/pods', '/services', '/endpoints', '/configmaps', '/secrets', '/persistentvolumeclaims', '/persistentvolumes',
  '/namespaces', 'discovery.k8s.io/endpointslices', 'node.k8s.io/runtimeclasses',
]);

const ALLOW: Decision = { decision: 'allow' };
const NO_OPINION: Decision = { decision: 'noOpinion' };

export const nodeAuthorizer: Authorizer = {
  name: 'Node',
  authorize(a: AuthorizationAttributes): Decision {
    const node = nodeIdentity(a.user);
    if (!node || !a.isResourceRequest) return NO_OPINION;
    const group = a.group ?? '';
    const resource = a.resource ?? '';
    const sub = a.subresource ?? '';
    const key = `${group}/${resource}`;
    if (!sub && READ.includes(a.verb) && READABLE.has(key)) return ALLOW;
    if (key === '/nodes') {
      // create carries no name in the URL: NodeRestriction checks the object's.
      if (a.verb === 'create' && !sub) return ALLOW;
      if (a.name === node && (sub === '' || sub === 'status') && ['get', 'update', 'patch'].includes(a.verb)) return ALLOW;
      return NO_OPINION;
    }
    if (key === 'coordination.k8s.io/leases') {
      if (a.namespace !== NODE_LEASE_NAMESPACE || sub) return NO_OPINION;
      if (a.verb === 'create') return ALLOW;
      if (a.name === node && ['get', 'update', 'patch', 'delete'].includes(a.verb)) return ALLOW;
      return NO_OPINION;
    }
    if (key === '/pods') {
      if (sub === 'status' && ['get', 'update', 'patch'].includes(a.verb)) return ALLOW;
      if (!sub && a.verb === 'delete') return ALLOW;
      return NO_OPINION;
    }
    // What every authenticated user may ask (upstream system:basic-user): `kubectl auth can-i`.
    if (a.verb === 'create' && (key === 'authorization.k8s.io/selfsubjectaccessreviews' || key === 'authorization.k8s.io/selfsubjectrulesreviews')) return ALLOW;
    if ((key === '/events' || key === 'events.k8s.io/events') && !sub && ['create', 'update', 'patch'].includes(a.verb)) return ALLOW;
    return NO_OPINION;
  },
  rulesFor(user) {
    if (!nodeIdentity(user)) return { resourceRules: [], nonResourceRules: [] };
    const byGroup = new Map<string, string[]>();
    for (const k of READABLE) {
      const [g, r] = k.split('/') as [string, string];
      byGroup.set(g, [...(byGroup.get(g) ?? []), r]);
    }
    const resourceRules: ResourceRule[] = [...byGroup].map(([g, rs]) => ({ verbs: READ, apiGroups: [g], resources: rs }));
    resourceRules.push(
      { verbs: ['create', 'get', 'update', 'patch'], apiGroups: [''], resources: ['nodes', 'nodes/status'] },
      { verbs: ['create', 'get', 'update', 'patch', 'delete'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
      { verbs: ['get', 'update', 'patch'], apiGroups: [''], resources: ['pods/status'] },
      { verbs: ['delete'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['create', 'update', 'patch'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    );
    return { resourceRules, nonResourceRules: [] };
  },
};
