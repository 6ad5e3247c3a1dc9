// discovery.k8s.io/v1 EndpointSlice: a bounded slice of a Service's endpoints, written by the
// endpointslice controller and read by the proxy and DNS.
import { obj, str, int32, bool, list, enumStr, stringMap, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { isDNS1123Subdomain, isQualifiedName, isValidIPv4Address, isValidIPv6Address } from '../meta/names.js';
import { ObjectReferenceSchema } from '../core/index.js';
import { validateDNS1123Label, validateImmutable, validateLabelMap, validatePortNumber } from '../core/field-checks.js';

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
/** Upstream limits. */
export const MAX_ENDPOINTS = 1000;
export const MAX_PORTS = 100;
export const MAX_ADDRESSES = 100;

export const EndpointConditionsSchema = obj('io.k8s.api.discovery.v1.EndpointConditions', 'EndpointConditions represents the current condition of an endpoint.', {
  ready: bool('ready indicates that this endpoint is ready to receive traffic, according to whatever system is managing the endpoint.'),
  serving: bool('serving indicates that this endpoint is able to receive traffic, according to whatever system is managing the endpoint.'),
  terminating: bool('terminating indicates that this endpoint is terminating.'),
});

export const EndpointHintsSchema = obj('io.k8s.api.discovery.v1.EndpointHints', 'EndpointHints provides hints describing how an endpoint should be consumed.', {
  forZones: list(obj('io.k8s.api.discovery.v1.ForZone', 'ForZone provides information about which zones should consume this endpoint.', {
    name: str('name represents the name of the zone.'),
  }, { required: ['name'] }), 'forZones indicates the zone(s) this endpoint should be consumed by when using topology aware routing.', { listType: 'atomic' }),
  forNodes: list(obj('io.k8s.api.discovery.v1.ForNode', 'ForNode provides information about which nodes should consume this endpoint.', {
    name: str('name represents the name of the node.'),
  }, { required: ['name'] }), 'forNodes indicates the node(s) this endpoint should be consumed by when using topology aware routing.', { listType: 'atomic' }),
});

export const EndpointSliceEndpointSchema = obj('io.k8s.api.discovery.v1.Endpoint', 'Endpoint represents a single logical "backend" implementing a service.', {
  addresses: list(str(), 'addresses of this endpoint. For EndpointSlices of addressType "IPv4" or "IPv6", the values are IP addresses in canonical form.', { listType: 'set' }),
  conditions: EndpointConditionsSchema,
  hostname: str('hostname of this endpoint. This field may be used by consumers of endpoints to distinguish endpoints from each other.'),
  targetRef: ObjectReferenceSchema,
  deprecatedTopology: stringMap('deprecatedTopology contains topology information part of the v1beta1 API.'),
  nodeName: str('nodeName represents the name of the Node hosting this endpoint.'),
  zone: str('zone is the name of the Zone this endpoint exists in.'),
  hints: EndpointHintsSchema,
}, { required: ['addresses'] });

export const EndpointSlicePortSchema = obj('io.k8s.api.discovery.v1.EndpointPort', 'EndpointPort represents a Port used by an EndpointSlice', {
  name: withMeta(str('name represents the name of this port. All ports in an EndpointSlice must have a unique name.'), { default: '' }),
  protocol: withMeta(enumStr('protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.', PROTOCOLS), { default: 'TCP' }),
  port: int32('port represents the port number of the endpoint. If the EndpointSlice is derived from a Kubernetes service, this must be set to the service\'s target port.'),
  appProtocol: str('The application protocol for this port.'),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });

export const EndpointSliceSchema = resourceSchema('io.k8s.api.discovery.v1.EndpointSlice', { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
  'EndpointSlice represents a set of service endpoints.', {
    addressType: enumStr('addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation.', ADDRESS_TYPES),
    endpoints: list(EndpointSliceEndpointSchema, 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.', { listType: 'atomic' }),
    ports: list(EndpointSlicePortSchema, 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name.', { listType: 'atomic' }),
  });
export type EndpointSlice = Static<typeof EndpointSliceSchema>;
type Endpoint = Static<typeof EndpointSliceEndpointSchema>;

/** Upstream IsFullyQualifiedDomainName. */
function fqdnMessages(name: string): string[] {
  const n = name.replace(/\.$/, '');
  const errs = isDNS1123Subdomain(n);
  if (errs.length === 0 && n.split('.').length < 2) errs.push('should be a domain with at least two segments separated by dots');
  return errs;
}

function validateEndpoint(ep: Endpoint, addressType: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const addrPath = childPath(path, 'addresses');
  const addrs = ep.addresses ?? [];
  if (addrs.length === 0) errs.push(fieldError.required(addrPath, 'must contain at least 1 address'));
  else if (addrs.length > MAX_ADDRESSES) errs.push(fieldError.tooMany(addrPath, addrs.length, MAX_ADDRESSES));
  addrs.forEach((a, j) => {
    const check = addressType === 'IPv4' ? isValidIPv4Address : addressType === 'IPv6' ? isValidIPv6Address : addressType === 'FQDN' ? fqdnMessages : () => [];
    for (const m of check(a)) errs.push(fieldError.invalid(indexPath(addrPath, j), a, m));
  });
  errs.push(...validateLabelMap(ep.deprecatedTopology, childPath(path, 'deprecatedTopology')));
  if (ep.hostname !== undefined) errs.push(...validateDNS1123Label(ep.hostname, childPath(path, 'hostname')));
  if (ep.nodeName) for (const m of isDNS1123Subdomain(ep.nodeName)) errs.push(fieldError.invalid(childPath(path, 'nodeName'), ep.nodeName, m));
  const zones = ep.hints?.forZones ?? [];
  if (zones.length > 8) errs.push(fieldError.tooMany(childPath(path, 'hints.forZones'), zones.length, 8));
  return errs;
}

/** Upstream ValidateEndpointSlice. */
export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const type = slice.addressType ?? '';
  if (!type) errs.push(fieldError.required('addressType', ''));
  else if (!(ADDRESS_TYPES as readonly string[]).includes(type)) errs.push(fieldError.notSupported('addressType', type, ADDRESS_TYPES));
  const eps = slice.endpoints ?? [];
  if (eps.length > MAX_ENDPOINTS) errs.push(fieldError.tooMany('endpoints', eps.length, MAX_ENDPOINTS));
  else eps.forEach((ep, i) => errs.push(...validateEndpoint(ep, type, indexPath('endpoints', i))));
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) return [...errs, fieldError.tooMany('ports', ports.length, MAX_PORTS)];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = indexPath('ports', i);
    const name = p.name ?? '';
    if (name) errs.push(...validateDNS1123Label(name, childPath(path, 'name')));
    if (names.has(name)) errs.push(fieldError.duplicate(childPath(path, 'name'), name));
    names.add(name);
    if (!p.protocol) errs.push(fieldError.required(childPath(path, 'protocol'), ''));
    else if (!(PROTOCOLS as readonly string[]).includes(p.protocol)) errs.push(fieldError.notSupported(childPath(path, 'protocol'), p.protocol, PROTOCOLS));
    if (p.port !== undefined) errs.push(...validatePortNumber(p.port, childPath(path, 'port')));
    if (p.appProtocol !== undefined) for (const m of isQualifiedName(p.appProtocol)) errs.push(fieldError.invalid(childPath(path, 'appProtocol'), p.appProtocol, m));
  });
  return errs;
}

export const endpointSlices: ResourceType<EndpointSlice> = {
  group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice',
  namespaced: true,
  schema: EndpointSliceSchema,
  defaults(slice) {
    // Upstream SetDefaults_EndpointPort.
    for (const p of slice.ports ?? []) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validate: (slice) => validateEndpointSlice(slice),
  validateUpdate: (slice, old) => [...validateEndpointSlice(slice), ...validateImmutable(slice.addressType, old.addressType, 'addressType')],
};
