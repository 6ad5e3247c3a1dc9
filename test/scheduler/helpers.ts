// Shared pieces of the scheduler integration suites: nodes written straight through the API (as a
// kubelet would register them), pods, polling and event lookups.
import { Client, loopbackTransport, type KubeList } from '../../src/client/index.js';
import type { Event, Node, Pod } from '../../src/api/index.js';
import type { TestServer } from '../support/server.js';

export const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };
export const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' };
export const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' };

export function loopbackClient(srv: TestServer): Client {
  return new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));
}

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

/** Registers a Ready node with capacity = allocatable, as a kubelet would. */
export async function createNode(client: Client, name: string, spec: NodeSpec = {}): Promise<Node> {
  const resources = { cpu: spec.cpu ?? '4', memory: spec.memory ?? '8Gi', pods: '110' };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const node = {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...spec.labels } },
    spec: spec.taints ? { taints: spec.taints } : {},
  };
  await client.resource(NODES).create('', node);
  const status = {
    capacity: resources, allocatable: resources,
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
  };
  return await client.resource(NODES).patch('', name, 'merge', { status }, 'status') as Node;
}

export function podObject(name: string, opts: { cpu?: string; nodeSelector?: Record<string, string>; tolerations?: unknown[]; schedulerName?: string } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name },
    spec: {
      containers: [{ name: 'c', image: 'busybox', resources: opts.cpu ? { requests: { cpu: opts.cpu } } : {} }],
      ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
      ...(opts.tolerations ? { tolerations: opts.tolerations } : {}),
      ...(opts.schedulerName ? { schedulerName: opts.schedulerName } : {}),
    },
  } as Pod;
}

export async function createPod(client: Client, ns: string, pod: Pod): Promise<Pod> {
  return await client.resource(PODS).create(ns, pod as never) as Pod;
}

export async function listPods(client: Client, ns: string): Promise<Pod[]> {
  return (await client.resource(PODS).list(ns) as KubeList).items as Pod[];
}

export async function getPod(client: Client, ns: string, name: string): Promise<Pod> {
  return await client.resource(PODS).get(ns, name) as Pod;
}

export async function podEvents(client: Client, ns: string, podName?: string): Promise<Event[]> {
  const items = (await client.resource(EVENTS).list(ns) as KubeList).items as Event[];
  return podName ? items.filter((e) => e.involvedObject?.name === podName) : items;
}

/** Polls `cond` until it holds; generous deadline for a loaded 2-core machine. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
