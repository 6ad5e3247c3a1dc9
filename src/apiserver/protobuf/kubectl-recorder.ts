// Test support: a plain-HTTP stand-in for an API server that serves just enough discovery for
// kubectl's `create` and `auth can-i` commands and records every POST body with its content
// type, answering 201 with a small JSON object. Used by the protobuf decoder's tests to capture
// real kubectl request bodies; never part of the server.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

interface Served { name: string; kind: string; namespaced: boolean; singular: string; group?: string; version?: string }

/** The group-versions and resources kubectl's create subcommands write to. */
const DISCOVERY: Record<string, Served[]> = {
  v1: [
    { name: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false },
    { name: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true },
    { name: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true },
    { name: 'services', singular: 'service', kind: 'Service', namespaced: true },
    { name: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true },
    { name: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', namespaced: true },
    { name: 'pods', singular: 'pod', kind: 'Pod', namespaced: true },
    { name: 'pods/eviction', singular: '', kind: 'Eviction', namespaced: true, group: 'policy', version: 'v1' },
    { name: 'nodes', singular: 'node', kind: 'Node', namespaced: false },
    { name: 'pods/binding', singular: '', kind: 'Binding', namespaced: true },
  ],
  'apps/v1': [{ name: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true }],
  'batch/v1': [
    { name: 'jobs', singular: 'job', kind: 'Job', namespaced: true },
    { name: 'cronjobs', singular: 'cronjob', kind: 'CronJob', namespaced: true },
  ],
  'policy/v1': [{ name: 'poddisruptionbudgets', singular: 'poddisruptionbudget', kind: 'PodDisruptionBudget', namespaced: true }],
  'networking.k8s.io/v1': [{ name: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true }],
  'scheduling.k8s.io/v1': [{ name: 'priorityclasses', singular: 'priorityclass', kind: 'PriorityClass', namespaced: false }],
  'authorization.k8s.io/v1': [
    { name: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false },
    { name: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', namespaced: false },
  ],
};

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function discovery(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    return {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: Object.keys(DISCOVERY).filter((gv) => gv.includes('/')).map((gv) => {
        const [group, version] = gv.split('/');
        const v = { groupVersion: gv, version };
        return { name: group, versions: [v], preferredVersion: v };
      }),
    };
  }
  if (path === '/version') return { major: '1', minor: '33', gitVersion: 'v1.33.0' };
  const gv = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice('/apis/'.length) : '';
  const resources = DISCOVERY[gv];
  if (!resources) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: resources.map((r) => ({
      name: r.name, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, group: r.group, version: r.version,
      verbs: r.name.includes('/') ? ['create'] : ['create', 'get', 'list', 'delete'],
    })),
  };
}

/** The kind a POST path creates, for the reply (`/apis/apps/v1/namespaces/x/deployments` → Deployment). */
function replyFor(path: string): unknown {
  const parts = path.split('?')[0].split('/').filter(Boolean);
  const gv = parts[0] === 'api' ? 'v1' : `${parts[1]}/${parts[2]}`;
  const last = parts[parts.length - 1];
  const served = (DISCOVERY[gv] ?? []).find((r) => r.name === last || r.name.endsWith(`/${last}`));
  return {
    apiVersion: gv, kind: served?.kind ?? 'Status', metadata: { name: 'recorded', namespace: 'default' },
    status: { allowed: true },
  };
}

/**
 * Starts the recorder on 127.0.0.1 and a random port. `objects` maps GET paths (without query)
 * to JSON replies (e.g. the node and pod list `kubectl drain` reads); a PATCH of such a path
 * answers the same object. Other GETs answer 404.
 */
export async function startRecorder(objects: Record<string, unknown> = {}): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        requests.push({ method: 'POST', path, contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
        send(201, replyFor(path));
        return;
      }
      const plain = path.split('?')[0];
      if (req.method === 'PATCH' || objects[plain] !== undefined) {
        if (objects[plain] !== undefined) send(200, objects[plain]);
        else send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
        return;
      }
      const doc = discovery(plain);
      if (doc) send(200, doc);
      else send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
