// The scheduler's per-pod CPU cost without any I/O (not a test): a workload's shape (default
// SchedulingBasic: 5,000 nodes of the node template, 1,000 initial pods, then the measured pods;
// workloads without setup or node groups) scheduled in this process
// through the same pieces the scheduler loop uses — the default profile of the in-tree registry,
// the scheduler cache's incremental snapshot, schedulePod, assume, then the informer's
// confirmation of each binding (cache.addPod with the bound pod). Prints CPU µs per pod, the median of
// `--repeat` passes, each on a fresh cache.
//
//   node --import tsx bench/scheduler-perf-cycle.ts [--workload SchedulingBasic] [--nodes 5000] [--init-pods 1000] [--pods 10000] [--repeat 3]
import { parseArgs } from 'node:util';
import type { Node, Pod } from '../src/api/index.js';
import { realClock } from '../src/client/index.js';
import { buildProfiles, CycleState, newInTreeRegistry, schedulePod, SchedulerCache } from '../src/scheduler/index.js';
import { trimNode, trimPod } from '../src/scheduler/informer-transforms.js';
import { NODE_TEMPLATE, percentile, WORKLOADS, ZONE, ZONE_LABEL } from './scheduler-perf-workloads.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    'init-pods': { type: 'string', default: '1000' },
    pods: { type: 'string', default: '10000' },
    repeat: { type: 'string', default: '3' },
    workload: { type: 'string', default: 'SchedulingBasic' },
  },
  strict: true,
});
const NODES = Number(values.nodes);
const INIT = Number(values['init-pods']);
const PODS = Number(values.pods);
const REPEAT = Number(values.repeat);
const WORKLOAD = WORKLOADS.find((w) => w.name === values.workload);
if (!WORKLOAD || WORKLOAD.setup || WORKLOAD.nodeGroups) throw new Error(`--workload: one of ${WORKLOADS.filter((w) => !w.setup && !w.nodeGroups).map((w) => w.name).join(', ')}`);

function hollowNode(name: string): Node {
  const resources = { cpu: NODE_TEMPLATE.cpu, memory: NODE_TEMPLATE.memory, pods: NODE_TEMPLATE.pods, 'ephemeral-storage': NODE_TEMPLATE.ephemeralStorage };
  return trimNode({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', [ZONE_LABEL]: ZONE } },
    spec: {},
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
  } as never) as Node;
}

/** A workload's pod as the API server returns it (defaulted fields the scheduler reads). */
function pendingPod(name: string, ns: string, phase: 'init' | 'measured'): Pod {
  const manifest = WORKLOAD!.pod(name, phase) as Pod;
  return trimPod({
    ...manifest,
    metadata: { ...manifest.metadata, namespace: ns, uid: `uid-${ns}-${name}`, resourceVersion: '2', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { ...manifest.spec, schedulerName: 'default-scheduler', priority: 0, tolerations: [], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
    status: { phase: 'Pending' },
  } as never) as Pod;
}

function onePass(): number {
  const cache = new SchedulerCache({ clock: realClock });
  for (let i = 0; i < NODES; i++) cache.addNode(hollowNode(`node-0-${i}`));
  const registry = newInTreeRegistry();
  const fwk = buildProfiles(registry, {}).get('default-scheduler')!;
  let next = 0;
  const scheduleAll = (pods: Pod[]): void => {
    for (const pod of pods) {
      const r = schedulePod(fwk, new CycleState(), cache.updateSnapshot(), pod, { nextStartNodeIndex: next });
      next = r.nextStartNodeIndex;
      const bound: Pod = { ...pod, spec: { ...pod.spec!, nodeName: r.suggestedHost } };
      cache.assumePod(bound);
      cache.finishBinding(bound);
      // The informer's MODIFIED event for the binding confirms the assumption.
      cache.addPod({ ...bound, metadata: { ...bound.metadata, resourceVersion: '3' } });
    }
  };
  scheduleAll(Array.from({ length: INIT }, (_, i) => pendingPod(`init-${i}`, WORKLOAD!.namespaces.init, 'init')));
  const measured = Array.from({ length: PODS }, (_, i) => pendingPod(`pod-${i}`, WORKLOAD!.namespaces.measured, 'measured'));
  // CPU time, not wall time: the machine is shared, and a descheduled process is not slower.
  const cpu0 = process.cpuUsage();
  scheduleAll(measured);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / PODS;
}

const perPod: number[] = [];
for (let i = 0; i < REPEAT; i++) {
  perPod.push(onePass());
  console.log(`pass ${i + 1}: ${perPod.at(-1)!.toFixed(1)} CPU µs per pod`);
}
perPod.sort((a, b) => a - b);
console.log(`median: ${percentile(perPod, 50).toFixed(1)} CPU µs per pod (${WORKLOAD.name}: ${NODES} nodes, ${INIT} initial + ${PODS} measured pods)`);
