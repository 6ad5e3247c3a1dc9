// Informer transforms for the proxy: keep only the fields the proxy reads (client-go's
// SetTransform), so 5,000 Services and their slices cost little memory in the agent, and the
// Node's NodePort addresses. Pure; each keeps the metadata an informer needs (name, namespace,
// resourceVersion).
import type { KubeObject } from '../../api/index.js';
import { SERVICE_NAME_LABEL, type EndpointSliceLike, type ServiceLike } from './service-ports.js';

type Meta = NonNullable<KubeObject['metadata']>;

function slimMeta(m: Meta | undefined, labels?: Record<string, string>): Meta {
  const out: Meta = { name: m?.name, namespace: m?.namespace, resourceVersion: m?.resourceVersion };
  if (labels) out.labels = labels;
  return out;
}

export function slimService(obj: KubeObject): KubeObject {
  const s = obj as ServiceLike & KubeObject;
  const spec = s.spec ?? {};
  const out: ServiceLike = {
    spec: {
      type: spec.type, clusterIP: spec.clusterIP, clusterIPs: spec.clusterIPs,
      ports: spec.ports?.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port, nodePort: p.nodePort })),
      externalIPs: spec.externalIPs, sessionAffinity: spec.sessionAffinity, sessionAffinityConfig: spec.sessionAffinityConfig,
      internalTrafficPolicy: spec.internalTrafficPolicy, externalTrafficPolicy: spec.externalTrafficPolicy,
    },
  };
  const ingress = s.status?.loadBalancer?.ingress;
  if (ingress) out.status = { loadBalancer: { ingress: ingress.map((i) => ({ ip: i.ip, ipMode: i.ipMode })) } };
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: slimMeta(obj.metadata), ...out } as KubeObject;
}

export function slimEndpointSlice(obj: KubeObject): KubeObject {
  const s = obj as EndpointSliceLike & KubeObject;
  const svcName = s.metadata?.labels?.[SERVICE_NAME_LABEL];
  const out: EndpointSliceLike = {
    addressType: s.addressType,
    ports: s.ports?.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port })),
    endpoints: s.endpoints?.map((e) => ({ addresses: e.addresses?.slice(0, 1), conditions: e.conditions, nodeName: e.nodeName })),
  };
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: slimMeta(obj.metadata, svcName ? { [SERVICE_NAME_LABEL]: svcName } : undefined), ...out } as KubeObject;
}

interface NodeLike { status?: { addresses?: { type?: string; address?: string }[] } }

export function slimNode(obj: KubeObject): KubeObject {
  const addresses = (obj as NodeLike).status?.addresses;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: slimMeta(obj.metadata), status: { addresses } } as KubeObject;
}

/** The addresses NodePorts answer on: the Node's InternalIPs, then ExternalIPs, deduplicated. */
export function nodeAddressesOf(node: unknown): string[] {
  const addrs = (node as NodeLike).status?.addresses ?? [];
  const out: string[] = [];
  for (const type of ['InternalIP', 'ExternalIP']) {
    for (const a of addrs) if (a.type === type && a.address && !out.includes(a.address)) out.push(a.address);
  }
  return out;
}
