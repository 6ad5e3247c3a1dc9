// Serves the pod subresources that reach the pod's node: `log` (GET), `exec`, `attach` and
// `portforward` (GET or POST upgrades, as kubectl sends them over WebSocket or SPDY). Order of
// checks as upstream: options, then the pod, its container, its node, the node's kubelet.
import { errors, type KubeObject } from '../../api/index.js';
import type { ApiRequest, ApiResponse } from '../http/types.js';
import type { OpContext, RegistryDeps } from '../registry/context.js';
import { getObject } from '../registry/read.js';
import {
  kubeletAddressOf, logPath, nodeNameOf, portForwardPath, resolveContainer, streamPath, validatePodLogOptions, type KubeletLocation,
} from './kubelet-location.js';
import { proxyLog, upgradeProxyResponse } from './kubelet-proxy.js';

export type PodStreamSubresource = 'log' | 'exec' | 'attach' | 'portforward';

async function locate(deps: RegistryDeps, ctx: OpContext, pod: KubeObject, path: string): Promise<KubeletLocation> {
  const nodeName = nodeNameOf(pod);
  const nodes = deps.catalogue.lookup('', 'v1', 'nodes');
  if (!nodes) throw errors.serviceUnavailable('nodes are not served');
  const node = await getObject(deps, { ...ctx, served: nodes, namespace: '', name: nodeName, subresource: '', query: new URLSearchParams() });
  return { ...kubeletAddressOf(node), path };
}

export async function handlePodStream(deps: RegistryDeps, ctx: OpContext, sub: PodStreamSubresource, verb: string, req: ApiRequest): Promise<ApiResponse> {
  const gr = { group: '', resource: `pods/${sub}` };
  const q = ctx.query;
  if (sub === 'log') {
    if (verb !== 'get') throw errors.methodNotSupported(gr, verb);
    const errs = validatePodLogOptions(q);
    if (errs.length) throw errors.invalid({ group: '', kind: 'PodLogOptions' }, ctx.name, errs);
  } else if (verb !== 'get' && verb !== 'create') {
    throw errors.methodNotSupported(gr, verb);
  }
  const pod = await getObject(deps, { ...ctx, query: new URLSearchParams() });
  let path: string;
  if (sub === 'portforward') path = portForwardPath(pod, q);
  else {
    const container = resolveContainer(pod, q.get('container'));
    path = sub === 'log' ? logPath(pod, container, q) : streamPath(sub, pod, container, q);
  }
  const loc = await locate(deps, ctx, pod, path);
  if (!deps.kubeletClient) throw errors.serviceUnavailable(`no kubelet connection to node "${nodeNameOf(pod)}" is available for pods/${sub}`);
  if (sub === 'log') return proxyLog(deps.kubeletClient, loc, req.signal);
  if (!req.headers['upgrade']) throw errors.badRequest('Upgrade request required');
  return upgradeProxyResponse(deps.kubeletClient, loc, req);
}
