// SelfSubjectAccessReview and SelfSubjectRulesReview (`kubectl auth can-i`): answered from the
// authorizer chain for the requesting user; nothing is stored.
import { errors, type KubeObject } from '../../api/index.js';
import type { UserInfo } from '../http/types.js';
import type { AuthorizerChain } from './authorizer.js';

interface ResourceAttributes { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string }
interface NonResourceAttributes { path?: string; verb?: string }

export function selfSubjectAccessReview(authz: AuthorizerChain, user: UserInfo, body: KubeObject): KubeObject {
  const spec = (body.spec ?? {}) as { resourceAttributes?: ResourceAttributes; nonResourceAttributes?: NonResourceAttributes };
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if ((ra && nra) || (!ra && !nra)) {
    throw errors.invalid({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', [{
      type: 'FieldValueRequired', field: 'spec.resourceAttributes',
      message: ra ? 'Invalid value: "resourceAttributes": cannot be specified in combination with nonResourceAttributes' : 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    }]);
  }
  const d = ra
    ? authz.authorize({ user, isResourceRequest: true, verb: ra.verb ?? '', group: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource ?? '', namespace: ra.namespace ?? '', name: ra.name ?? '' })
    : authz.authorize({ user, isResourceRequest: false, verb: nra!.verb ?? '', path: nra!.path ?? '' });
  const status: Record<string, unknown> = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny' && d.reason && d.reason !== 'no authorizer allowed the request') status.denied = true;
  if (d.reason) status.reason = d.reason;
  return { ...body, apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null } as never, status };
}

export function selfSubjectRulesReview(authz: AuthorizerChain, user: UserInfo, body: KubeObject): KubeObject {
  const spec = (body.spec ?? {}) as { namespace?: string };
  const rules = authz.rulesFor(user, spec.namespace ?? '');
  return {
    ...body, apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: { creationTimestamp: null } as never,
    status: { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: false },
  };
}
