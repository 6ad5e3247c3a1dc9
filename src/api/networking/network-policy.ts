// networking.k8s.io/v1 NetworkPolicy: which traffic may reach (ingress) and leave (egress) the
// selected pods. Enforcement belongs to the network plugin.
import { obj, str, int32, list, enumStr, intOrString, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { isValidCIDR, isValidPortName, isValidPortNum } from '../meta/names.js';
import { parseIP } from '../meta/ip.js';
import { validateLabelSelector } from '../core/field-checks.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

export const IPBlockSchema = obj('io.k8s.api.networking.v1.IPBlock', 'IPBlock describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64") that is allowed to the pods matched by a NetworkPolicySpec\'s podSelector.', {
  cidr: str('cidr is a string representing the IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64"'),
  except: list(str(), 'except is a slice of CIDRs that should not be included within an IPBlock.', { listType: 'atomic' }),
}, { required: ['cidr'] });

export const NetworkPolicyPortSchema = obj('io.k8s.api.networking.v1.NetworkPolicyPort', 'NetworkPolicyPort describes a port to allow traffic on', {
  protocol: withMeta(enumStr('protocol represents the protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field defaults to TCP.', ['SCTP', 'TCP', 'UDP']), { default: 'TCP' }),
  port: intOrString('port represents the port on the given protocol. This can either be a numerical or named port on a pod.'),
  endPort: int32('endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy.'),
});

export const NetworkPolicyPeerSchema = obj('io.k8s.api.networking.v1.NetworkPolicyPeer', 'NetworkPolicyPeer describes a peer to allow traffic to/from. Only certain combinations of fields are allowed', {
  podSelector: LabelSelector,
  namespaceSelector: LabelSelector,
  ipBlock: IPBlockSchema,
});

const ports = () => list(NetworkPolicyPortSchema, 'ports is a list of ports which should be made accessible.', { listType: 'atomic' });
const peers = (desc: string) => list(NetworkPolicyPeerSchema, desc, { listType: 'atomic' });

export const NetworkPolicySpecSchema = obj('io.k8s.api.networking.v1.NetworkPolicySpec', 'NetworkPolicySpec provides the specification of a NetworkPolicy', {
  podSelector: LabelSelector,
  ingress: list(obj('io.k8s.api.networking.v1.NetworkPolicyIngressRule', 'NetworkPolicyIngressRule describes a particular set of traffic that is allowed to the pods matched by a NetworkPolicySpec\'s podSelector.', {
    ports: ports(), from: peers('from is a list of sources which should be able to access the pods selected for this rule.'),
  }), 'ingress is a list of ingress rules to be applied to the selected pods.', { listType: 'atomic' }),
  egress: list(obj('io.k8s.api.networking.v1.NetworkPolicyEgressRule', 'NetworkPolicyEgressRule describes a particular set of traffic that is allowed out of pods matched by a NetworkPolicySpec\'s podSelector.', {
    ports: ports(), to: peers('to is a list of destinations for outgoing traffic of pods selected for this rule.'),
  }), 'egress is a list of egress rules to be applied to the selected pods.', { listType: 'atomic' }),
  policyTypes: list(enumStr('', ['Egress', 'Ingress']), 'policyTypes is a list of rule types that the NetworkPolicy relates to.', { listType: 'atomic' }),
}, { required: ['podSelector'] });

export const NetworkPolicySchema = resourceSchema('io.k8s.api.networking.v1.NetworkPolicy', { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
  'NetworkPolicy describes what network traffic is allowed for a set of Pods', {
    spec: NetworkPolicySpecSchema,
  });
export type NetworkPolicy = Static<typeof NetworkPolicySchema>;
type Port = Static<typeof NetworkPolicyPortSchema>;
type Peer = Static<typeof NetworkPolicyPeerSchema>;

/** True when CIDR `inner` is a strict subset of CIDR `outer` (both already valid). */
function strictSubset(outer: string, inner: string): boolean {
  const [oIP, oBits] = [parseIP(outer.split('/')[0]!), Number(outer.split('/')[1])];
  const [iIP, iBits] = [parseIP(inner.split('/')[0]!), Number(inner.split('/')[1])];
  if (!oIP || !iIP || oIP.length !== iIP.length || oBits >= iBits) return false;
  for (let bit = 0; bit < oBits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((oIP[bit >> 3]! & mask) !== (iIP[bit >> 3]! & mask)) return false;
  }
  return true;
}

function validatePort(p: Port, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) errs.push(fieldError.notSupported(childPath(path, 'protocol'), p.protocol, PROTOCOLS));
  if (typeof p.port === 'number') {
    for (const m of isValidPortNum(p.port)) errs.push(fieldError.invalid(childPath(path, 'port'), p.port, m));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(fieldError.invalid(childPath(path, 'endPort'), p.port, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(p.endPort)) errs.push(fieldError.invalid(childPath(path, 'endPort'), p.endPort, m));
    }
  } else if (typeof p.port === 'string') {
    if (p.endPort !== undefined) errs.push(fieldError.invalid(childPath(path, 'endPort'), p.endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(p.port)) errs.push(fieldError.invalid(childPath(path, 'port'), p.port, m));
  } else if (p.endPort !== undefined) {
    errs.push(fieldError.invalid(childPath(path, 'endPort'), p.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validatePeer(peer: Peer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  if (peer.podSelector) { count++; errs.push(...validateLabelSelector(peer.podSelector, childPath(path, 'podSelector'))); }
  if (peer.namespaceSelector) { count++; errs.push(...validateLabelSelector(peer.namespaceSelector, childPath(path, 'namespaceSelector'))); }
  if (peer.ipBlock) {
    count++;
    const block = peer.ipBlock;
    const bp = childPath(path, 'ipBlock');
    if (!block.cidr) errs.push(fieldError.required(childPath(bp, 'cidr'), ''));
    else {
      const cidrErrs = isValidCIDR(block.cidr).map((m) => fieldError.invalid(childPath(bp, 'cidr'), block.cidr, m));
      errs.push(...cidrErrs);
      (block.except ?? []).forEach((ex, i) => {
        const ep = indexPath(childPath(bp, 'except'), i);
        const exErrs = isValidCIDR(ex).map((m) => fieldError.invalid(ep, ex, m));
        errs.push(...exErrs);
        if (!cidrErrs.length && !exErrs.length && !strictSubset(block.cidr!, ex)) errs.push(fieldError.invalid(ep, ex, 'must be a strict subset of `cidr`'));
      });
    }
  }
  if (count === 0) errs.push(fieldError.required(path, 'must specify a peer'));
  else if (count > 1 && peer.ipBlock) errs.push(fieldError.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** Upstream ValidateNetworkPolicySpec. */
export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const spec = np.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  (spec.ingress ?? []).forEach((rule, i) => {
    const rp = indexPath('spec.ingress', i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, indexPath(childPath(rp, 'ports'), j))));
    (rule.from ?? []).forEach((p, j) => errs.push(...validatePeer(p, indexPath(childPath(rp, 'from'), j))));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const rp = indexPath('spec.egress', i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, indexPath(childPath(rp, 'ports'), j))));
    (rule.to ?? []).forEach((p, j) => errs.push(...validatePeer(p, indexPath(childPath(rp, 'to'), j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) return [...errs, fieldError.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(fieldError.notSupported(indexPath('spec.policyTypes', i), t, POLICY_TYPES));
  });
  return errs;
}

export const networkPolicies: ResourceType<NetworkPolicy> = {
  group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy',
  namespaced: true, shortNames: ['netpol'],
  schema: NetworkPolicySchema,
  tracksGeneration: true,
  defaults(np) {
    // Upstream SetDefaults_NetworkPolicyPort and SetDefaults_NetworkPolicy.
    const spec = (np.spec ??= {});
    spec.podSelector ??= {}; // a struct upstream, always serialized; empty selects every pod
    for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const p of rule.ports ?? []) p.protocol ??= 'TCP';
    if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validate: (np) => validateNetworkPolicy(np),
};
