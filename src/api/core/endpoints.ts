// core/v1 Endpoints: the legacy per-Service address list, written by the endpoints controller (or
// by hand for selector-less services). Superseded by discovery.k8s.io EndpointSlices.
import { obj, str, int32, list, enumStr, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { isQualifiedName, isValidIP } from '../meta/names.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { validateDNS1123Label, validateDNS1123Subdomain, validatePortNumber, validateProtocol } from './field-checks.js';

export const EndpointAddressSchema = obj('io.k8s.api.core.v1.EndpointAddress', 'EndpointAddress is a tuple that describes single IP address.', {
  ip: str('The IP of this endpoint.'),
  hostname: str('The Hostname of this endpoint'),
  nodeName: str('Optional: Node hosting this endpoint.'),
  targetRef: ObjectReferenceSchema,
}, { required: ['ip'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const EndpointPortSchema = obj('io.k8s.api.core.v1.EndpointPort', 'EndpointPort is a tuple that describes a single port.', {
  name: str('The name of this port. This must match the \'name\' field in the corresponding ServicePort.'),
  port: int32('The port number of the endpoint.'),
  protocol: enumStr('The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.', ['SCTP', 'TCP', 'UDP']),
  appProtocol: str('The application protocol for this port.'),
}, { required: ['port'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const EndpointSubsetSchema = obj('io.k8s.api.core.v1.EndpointSubset', 'EndpointSubset is a group of addresses with a common set of ports.', {
  addresses: list(EndpointAddressSchema, 'IP addresses which offer the related ports that are marked as ready.', { listType: 'atomic' }),
  notReadyAddresses: list(EndpointAddressSchema, 'IP addresses which offer the related ports but are not currently marked as ready.', { listType: 'atomic' }),
  ports: list(EndpointPortSchema, 'Port numbers available on the related IP addresses.', { listType: 'atomic' }),
});

export const EndpointsSchema = resourceSchema('io.k8s.api.core.v1.Endpoints', { group: '', version: 'v1', kind: 'Endpoints' },
  'Endpoints is a collection of endpoints that implement the actual service.', {
    subsets: list(EndpointSubsetSchema, 'The set of all endpoints is the union of all subsets.', { listType: 'atomic' }),
  });
export type Endpoints = Static<typeof EndpointsSchema>;
type EndpointAddress = Static<typeof EndpointAddressSchema>;

function validateAddress(addr: EndpointAddress, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of isValidIP(addr.ip ?? '')) errs.push(fieldError.invalid(childPath(path, 'ip'), addr.ip ?? '', m));
  if (addr.hostname) errs.push(...validateDNS1123Label(addr.hostname, childPath(path, 'hostname')));
  if (addr.nodeName) errs.push(...validateDNS1123Subdomain(addr.nodeName, childPath(path, 'nodeName')));
  return errs;
}

/** Upstream validateEndpointSubsets. */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const path = indexPath('subsets', i);
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, indexPath(childPath(path, 'addresses'), j))));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, indexPath(childPath(path, 'notReadyAddresses'), j))));
    const ports = ss.ports ?? [];
    const names = new Set<string>();
    ports.forEach((p, j) => {
      const pp = indexPath(childPath(path, 'ports'), j);
      if (ports.length > 1 && !p.name) errs.push(fieldError.required(childPath(pp, 'name'), ''));
      else if (p.name) {
        errs.push(...validateDNS1123Label(p.name, childPath(pp, 'name')));
        if (names.has(p.name)) errs.push(fieldError.duplicate(childPath(pp, 'name'), p.name));
        names.add(p.name);
      }
      errs.push(...validatePortNumber(p.port ?? 0, childPath(pp, 'port')));
      errs.push(...validateProtocol(p.protocol, childPath(pp, 'protocol')));
      if (p.appProtocol !== undefined) for (const m of isQualifiedName(p.appProtocol)) errs.push(fieldError.invalid(childPath(pp, 'appProtocol'), p.appProtocol, m));
    });
  });
  return errs;
}

export const endpoints: ResourceType<Endpoints> = {
  group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints',
  namespaced: true, shortNames: ['ep'],
  schema: EndpointsSchema,
  defaults(ep) {
    // Upstream SetDefaults_EndpointPort.
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
  },
  validate: (ep) => validateEndpoints(ep),
};
