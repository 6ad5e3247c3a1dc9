// Authorization: a chain of authorizers (upstream's union authorizer). Each answers allow, deny
// or no opinion; the first decision wins; no decision at all is a denial. RBAC will be one more
// authorizer in this chain.
import type { UserInfo } from '../http/types.js';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  /** Resource requests. */
  isResourceRequest: boolean;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests. */
  path?: string;
}

export type Decision = { decision: 'allow' | 'deny' | 'noOpinion'; reason?: string };

export interface Authorizer {
  name: string;
  authorize(attrs: AuthorizationAttributes): Decision;
  /** The rules a user holds (for SelfSubjectRulesReview); empty when unknown. */
  rulesFor?(user: UserInfo, namespace: string): { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[] };
}

export interface ResourceRule { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }
export interface NonResourceRule { verbs: string[]; nonResourceURLs: string[] }

/** Members of `system:masters` may do anything, as upstream's privileged group. */
export const mastersAuthorizer: Authorizer = {
  name: 'system:masters',
  authorize: ({ user }) => (user.groups.includes('system:masters') ? { decision: 'allow' } : { decision: 'noOpinion' }),
  rulesFor: (user) => user.groups.includes('system:masters')
    ? { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] }
    : { resourceRules: [], nonResourceRules: [] },
};

/** Health, version and discovery are readable by every authenticated user (system:discovery). */
export const discoveryAuthorizer: Authorizer = {
  name: 'system:discovery',
  authorize: (a) => {
    if (a.isResourceRequest || a.verb !== 'get' || !a.path) return { decision: 'noOpinion' };
    const p = a.path;
    const open = p === '/version' || p === '/healthz' || p === '/livez' || p === '/readyz' || p.startsWith('/healthz/') || p.startsWith('/livez/') || p.startsWith('/readyz/')
      || p === '/api' || p.startsWith('/api/') || p === '/apis' || p.startsWith('/apis/') || p.startsWith('/openapi/');
    return open ? { decision: 'allow' } : { decision: 'noOpinion' };
  },
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/version', '/version/', '/openapi', '/openapi/*'] }] }),
};

export class AuthorizerChain {
  constructor(private readonly chain: Authorizer[]) {}

  authorize(attrs: AuthorizationAttributes): Decision {
    for (const a of this.chain) {
      const d = a.authorize(attrs);
      if (d.decision !== 'noOpinion') return d;
    }
    return { decision: 'deny', reason: 'no authorizer allowed the request' };
  }

  rulesFor(user: UserInfo, namespace: string) {
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    for (const a of this.chain) {
      const r = a.rulesFor?.(user, namespace);
      if (r) {
        resourceRules.push(...r.resourceRules);
        nonResourceRules.push(...r.nonResourceRules);
      }
    }
    return { resourceRules, nonResourceRules };
  }
}

/** Upstream's forbidden message: `pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenMessage(a: AuthorizationAttributes): string {
  if (!a.isResourceRequest) return `forbidden: User "${a.user.name}" cannot ${a.verb} path "${a.path}"`;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource!;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  return `${subject} is forbidden: User "${a.user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group ?? ''}"${where}`;
}
