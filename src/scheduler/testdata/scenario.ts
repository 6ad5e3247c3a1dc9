// Builds API objects from the compact scenario notation of testdata/*.yaml and replays a scenario
// through the real framework and algorithm. Used only by tests.
import type { Node, Pod } from '../../api/index.js';
import { CycleState } from '../framework/cycle-state.js';
import type { KubeSchedulerProfile } from '../framework/config.js';
import { Framework } from '../framework/framework.js';
import { Snapshot } from '../framework/snapshot.js';
import { schedulePod } from '../algorithm/schedule-pod.js';
import { FitError } from '../algorithm/fit-error.js';
import { newInTreeRegistry } from '../plugins/registry.js';

export interface NodeSpecShort {
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  /** Defaults: cpu 4, memory 32Gi, pods 110. */
  allocatable?: Record<string, string | number>;
}

export interface PodSpecShort {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  /** Existing pods: the node they run on. */
  node?: string;
  /** Requests of a single container `c`. */
  requests?: Record<string, string | number>;
  priority?: number;
  /** Merged over the generated spec (full core/v1 PodSpec fields). */
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  /** Merged over the generated metadata (e.g. deletionTimestamp). */
  metadata?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  /** Upstream test this pins, e.g. `nodename/node_name_test.go "host doesn't match"`. */
  upstream?: string;
  profile?: KubeSchedulerProfile;
  nodes: NodeSpecShort[];
  pods?: PodSpecShort[];
  /** The pod to schedule (absent for queue-order scenarios). */
  pod?: PodSpecShort;
  /** Queue-order scenarios: pods with their queue timestamps, sorted by the QueueSort plugin. */
  queue?: (PodSpecShort & { timestamp: number })[];
  expect: {
    node?: string;
    nodes?: string[];
    error?: string;
    /** PreEnqueue outcome: '' when admitted, else the rejection message (the pod is not scheduled). */
    preEnqueue?: string;
    /** Queue-order scenarios: pod names in pop order. */
    order?: string[];
    /** After a FitError: the whole FailedScheduling message, PostFilter's part included. */
    failedScheduling?: string;
    /** After a FitError: the node PostFilter nominated ('' = none or cleared). */
    nominatedNode?: string;
    /** After a FitError: names of the pods preemption deletes, in the order handed over. */
    victims?: string[];
  };
}

const DEFAULT_ALLOCATABLE = { cpu: '4', memory: '32Gi', pods: '110' };

export function makeNode(n: NodeSpecShort): Node {
  const allocatable: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...DEFAULT_ALLOCATABLE, ...(n.allocatable ?? {}) })) allocatable[k] = String(v);
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...(n.labels ?? {}) } },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable },
  } as Node;
}

export function makePod(p: PodSpecShort): Pod {
  const requests: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.requests ?? {})) requests[k] = String(v);
  const container = { name: 'c', image: 'pause', ...(p.requests ? { resources: { requests } } : {}) };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace ?? 'default', uid: `uid-${p.name}`, labels: p.labels ?? {}, ...(p.metadata ?? {}) },
    spec: {
      containers: [container],
      ...(p.node ? { nodeName: p.node } : {}),
      ...(p.priority !== undefined ? { priority: p.priority } : {}),
      ...(p.spec ?? {}),
    },
    status: p.status ?? {},
  } as Pod;
}

export interface ScenarioOutcome {
  node?: string;
  error?: string;
  preEnqueue?: string;
  order?: string[];
  /** `pod->node` bindings made by DefaultBinder after a successful cycle. */
  bound?: string[];
  /** After a FitError: the FailedScheduling message with PostFilter's message appended. */
  failedScheduling?: string;
  /** After a FitError: PostFilter's nominated node ('' when none). */
  nominatedNode?: string;
  /** After a FitError: the victims handed to the handle's preempt, by name. */
  victims?: string[];
}

/**
 * Replays a scenario: queue ordering, or PreEnqueue then a scheduling cycle and, on success, the
 * binding cycle through a recording binder. A FitError becomes `{ error: message }` (the filter
 * diagnosis only) plus the outcome of PostFilter (preemption), run as the scheduler loop does.
 */
export async function runScenario(s: Scenario, random: (n: number) => number = () => 0): Promise<ScenarioOutcome> {
  const bound: string[] = [];
  const victims: string[] = [];
  const fwk = new Framework(newInTreeRegistry(), s.profile ?? {}, {
    clock: () => 0,
    binder: async (pod, node) => { bound.push(`${pod.metadata?.name}->${node}`); },
    preempt: (_preemptor, _node, pods) => { for (const p of pods) victims.push(p.metadata!.name!); },
  });
  if (s.queue) {
    const items = s.queue.map((q) => ({ pod: makePod(q), timestamp: q.timestamp, attempts: 0 }));
    items.sort((a, b) => (fwk.queueSortLess(a, b) ? -1 : fwk.queueSortLess(b, a) ? 1 : 0));
    return { order: items.map((i) => i.pod.metadata!.name!) };
  }
  const pod = makePod(s.pod!);
  const gate = fwk.runPreEnqueuePlugins(pod);
  if (!gate.isSuccess()) return { preEnqueue: gate.message() };
  const snapshot = Snapshot.fromObjects(s.nodes.map(makeNode), (s.pods ?? []).map(makePod));
  const state = new CycleState();
  let node: string;
  try {
    node = schedulePod(fwk, state, snapshot, pod, { random }).suggestedHost;
  } catch (err) {
    if (!(err instanceof FitError)) throw err;
    const error = err.message;
    let nominatedNode = '';
    if (fwk.hasPostFilterPlugins()) {
      const post = fwk.runPostFilterPlugins(state, pod, err.diagnosis);
      if (!post.status.isSuccess() && post.status.message()) err.diagnosis.postFilterMsg = post.status.message();
      nominatedNode = post.result?.nominatedNodeName ?? '';
    }
    return { preEnqueue: '', error, failedScheduling: err.message, nominatedNode, victims };
  }
  const reserved = fwk.runReservePluginsReserve(state, pod, node);
  if (!reserved.isSuccess()) throw new Error(`reserve failed: ${reserved.message()}`);
  const permitted = fwk.runPermitPlugins(state, pod, node);
  if (!permitted.status.isSuccess()) throw new Error(`permit failed: ${permitted.status.message()}`);
  const pre = await fwk.runPreBindPlugins(state, pod, node);
  if (!pre.isSuccess()) throw new Error(`prebind failed: ${pre.message()}`);
  const b = await fwk.runBindPlugins(state, pod, node);
  if (!b.isSuccess()) throw new Error(`bind failed: ${b.message()}`);
  fwk.runPostBindPlugins(state, pod, node);
  return { preEnqueue: '', node, bound };
}
