// What every cluster has from its first start: the system namespaces, the `kubernetes` Service
// with its Endpoints and the system PriorityClasses. Written through the API (the loopback
// transport), idempotently.
import { SYSTEM_PRIORITY_CLASSES } from '../api/index.js';
import type { ApiRequest, ApiResponse } from './http/types.js';

type Send = (req: Omit<ApiRequest, 'signal' | 'user'>) => Promise<ApiResponse>;

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates `obj` unless it exists; `optional`: a resource type this server does not serve (404) is skipped. */
async function ensure(send: Send, collectionPath: string, obj: { metadata: { name: string; [k: string]: unknown }; [k: string]: unknown }, optional = false): Promise<void> {
  const existing = await send({ method: 'GET', url: `${collectionPath}/${obj.metadata.name}`, headers: {} });
  if (existing.status === 200) return;
  const r = await send({ method: 'POST', url: collectionPath, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(obj)) });
  if (optional && r.status === 404) return;
  if (r.status !== 201 && r.status !== 409) throw new Error(`bootstrap: POST ${collectionPath} failed: ${r.status} ${String(r.body)}`);
}

export async function bootstrapCluster(send: Send, o: { apiServiceIP: string; address: string; port: number }): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(send, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(send, '/api/v1/namespaces/default/services', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: o.apiServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }], sessionAffinity: 'None' },
  });
  await ensure(send, '/api/v1/namespaces/default/endpoints', {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: o.address }], ports: [{ name: 'https', port: o.port, protocol: 'TCP' }] }],
  });
  // Upstream's scheduling bootstrap (SystemPriorityClasses), with upstream's descriptions.
  for (const [name, value] of Object.entries(SYSTEM_PRIORITY_CLASSES)) {
    await ensure(send, '/apis/scheduling.k8s.io/v1/priorityclasses', {
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value,
      description: name === 'system-node-critical'
        ? 'Used for system critical pods that must not be moved from their current node.'
        : 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    }, true);
  }
}
