// The pure half of bench/scheduler-perf.ts: the workloads (after upstream scheduler_perf's
// performance-config.yaml and its templates), the node template, and the statistics. No I/O.

/** Label every benchmark node carries, so the node-affinity workload has something to match. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const ZONE = 'zone1';

/** Upstream templates/node-default.yaml: 4 CPUs, 32Gi, 110 pods. */
export const NODE_TEMPLATE = { cpu: '4', memory: '32Gi', pods: '110', ephemeralStorage: '100Gi' } as const;

/** The scheduler plugins a workload needs; it is skipped (with a note) when one is not registered. */
export interface Workload {
  name: string;
  plugins: string[];
  /** Namespaces of the init and measured pods (upstream puts them apart for pod (anti-)affinity). */
  namespaces: { init: string; measured: string };
  /** Pod manifest for a pod of `phase`. */
  pod(name: string, phase: 'init' | 'measured'): object;
  /** How many pods of one phase fit on `nodes` nodes when `wanted` are asked for (default all). */
  capPods?(wanted: number, nodes: number): number;
}

/** Upstream templates/pod-default.yaml: one pause container, 100m CPU and 500Mi requested. */
function defaultPod(name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}): object {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels },
    spec: {
      containers: [{
        name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }],
        resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } },
      }],
      ...extra,
    },
  };
}

const nodeAffinity = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [ZONE, 'zone2'] }] }],
    },
  },
};

/** Upstream pod-with-pod-anti-affinity.yaml, without its namespaces list: one such pod per node and namespace. */
const podAntiAffinity = {
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname' }],
  },
};

/**
 * Upstream pod-with-topology-spreading.yaml spreads over 3 zones; here every node is in zone1 (for
 * the node-affinity workload), so the constraint spreads over hostnames instead.
 */
const topologySpreadConstraints = [{ maxSkew: 5, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }];

const sameNamespace = (name: string) => ({ init: name, measured: name });

/** In the order upstream's performance-config.yaml lists them. */
export const WORKLOADS: Workload[] = [
  { name: 'SchedulingBasic', plugins: [], namespaces: sameNamespace('scheduling-basic'), pod: (name) => defaultPod(name) },
  {
    name: 'SchedulingPodAntiAffinity', plugins: ['InterPodAffinity'], namespaces: { init: 'anti-affinity-0', measured: 'anti-affinity-1' },
    pod: (name) => defaultPod(name, { affinity: podAntiAffinity }, { color: 'green' }),
    capPods: (wanted, nodes) => Math.min(wanted, nodes),
  },
  {
    name: 'SchedulingNodeAffinity', plugins: ['NodeAffinity'], namespaces: sameNamespace('node-affinity'),
    pod: (name) => defaultPod(name, { affinity: nodeAffinity }),
  },
  {
    name: 'TopologySpreading', plugins: ['PodTopologySpread'], namespaces: sameNamespace('topology-spreading'),
    pod: (name, phase) => (phase === 'init' ? defaultPod(name) : defaultPod(name, { topologySpreadConstraints }, { color: 'blue' })),
  },
];

/**
 * Upstream workloads this benchmark does not run yet, with the plugin each needs. Preemption fills
 * nodes with low-priority pods and then adds high-priority ones (PriorityClasses + PostFilter).
 */
export const NOT_WRITTEN: { name: string; plugins: string[] }[] = [{ name: 'Preemption', plugins: ['DefaultPreemption'] }];

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface PhaseResult {
  pods: number;
  /** ms from the first measured pod's create request to the last observed binding. */
  spanMs: number;
  /** Per-pod ms from create acknowledged to binding observed, ascending. */
  latenciesMs: number[];
}

export function podsPerSecond(r: PhaseResult): number {
  return r.spanMs > 0 ? (r.pods / r.spanMs) * 1000 : NaN;
}

/** A markdown table; every row has as many cells as `header`. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}
