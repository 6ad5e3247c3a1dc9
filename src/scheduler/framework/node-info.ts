// Per-node aggregate the filters and scorers read (upstream framework.NodeInfo). Owned by the
// scheduler cache; a Snapshot holds them read-only for one cycle. Preemption clones a NodeInfo and
// calls removePod/addPod for its what-if evaluation, so both must be exact inverses.
import type { Node, Pod } from '../../api/index.js';
import { HostPortInfo, podHostPorts, type HostPort } from './host-ports.js';
import type { NodeTable } from './node-table.js';
import { computePodResourceRequest, Resource } from './resource.js';

/** A pod with the values computed once when it enters the cache (upstream framework.PodInfo). */
export class PodInfo {
  /** Requests as written (upstream Requested accounting). */
  readonly request: Resource;
  /** Requests with the 100m/200Mi scoring defaults filled in (upstream NonZeroRequested). */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
  /** True if the pod has pod affinity or anti-affinity terms (either kind). */
  readonly hasAffinity: boolean;
  /** True if the pod has required anti-affinity terms. */
  readonly hasRequiredAntiAffinity: boolean;
  /**
   * The pod's parsed (anti-)affinity terms and label signature (upstream PodInfo's Required*Terms
   * and Preferred*Terms), filled lazily by the InterPodAffinity plugin, which owns their shape.
   * Shared by every clone of the NodeInfo; valid for `pod` only, which never changes.
   */
  affinityTerms: unknown = undefined;

  constructor(readonly pod: Pod) {
    this.request = computePodResourceRequest(pod);
    const nz = computePodResourceRequest(pod, { nonZero: true });
    this.nonZeroMilliCPU = nz.milliCPU;
    this.nonZeroMemory = nz.memory;
    this.hostPorts = podHostPorts(pod);
    const a = pod.spec?.affinity;
    this.hasAffinity = !!(a?.podAffinity || a?.podAntiAffinity);
    this.hasRequiredAntiAffinity = (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  }
}

/** Unique key of a pod in a NodeInfo: its UID, or namespace/name for objects without one. */
export function podKey(pod: Pod): string {
  return pod.metadata?.uid || `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

let generation = 0;
/** A process-wide increasing counter so snapshots can tell which NodeInfos changed. */
export function nextGeneration(): number {
  return ++generation;
}

export class NodeInfo {
  node: Node | undefined;
  readonly pods: PodInfo[] = [];
  /** Pods with pod (anti-)affinity terms; InterPodAffinity walks only these. */
  readonly podsWithAffinity: PodInfo[] = [];
  /** Pods with required anti-affinity terms. */
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  /** Sum of the pods' requests (as written). */
  requested = new Resource();
  /** Sum of the pods' requests with scoring defaults (cpu and memory only). */
  nonZeroRequested = new Resource();
  /** The node's status.allocatable, parsed. */
  allocatable = new Resource();
  usedPorts = new HostPortInfo();
  /** Image name → size in bytes (from status.images), for image locality scoring. */
  imageSizes: Map<string, number> | undefined;
  generation = nextGeneration();
  /** The snapshot table holding a copy of this NodeInfo's numbers, if attached (see node-table.ts). */
  table: NodeTable | undefined = undefined;
  /** This NodeInfo's row in `table` (-1 when not attached). */
  row = -1;

  constructor(node?: Node, pods: readonly Pod[] = []) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  /** Makes row `row` of `table` this NodeInfo's copy and fills it (Snapshot calls it). */
  attach(table: NodeTable, row: number): void {
    this.table = table;
    this.row = row;
    table.write(row, this);
  }

  /** Stops writing to the table (the row now belongs to another NodeInfo). */
  detach(): void {
    this.table = undefined;
    this.row = -1;
  }

  private changed(): void {
    this.generation = nextGeneration();
    if (this.table) this.table.write(this.row, this);
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = Resource.fromList(node.status?.allocatable);
    const images = node.status?.images;
    if (images && images.length > 0) {
      this.imageSizes = new Map();
      for (const img of images) for (const n of img.names ?? []) this.imageSizes.set(n, img.sizeBytes ?? 0);
    } else {
      this.imageSizes = undefined;
    }
    this.changed();
  }

  addPod(pod: Pod): void {
    this.addPodInfo(new PodInfo(pod));
  }

  /** Accounts a pod on this node (upstream AddPodInfo). The caller must not add a pod twice. */
  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pi);
    this.requested.add(pi.request);
    this.nonZeroRequested.milliCPU += pi.nonZeroMilliCPU;
    this.nonZeroRequested.memory += pi.nonZeroMemory;
    for (const p of pi.hostPorts) this.usedPorts.add(p.ip, p.protocol, p.port);
    this.changed();
  }

  /** Removes a pod by key; returns false if it was not on this node (upstream RemovePod). */
  removePod(pod: Pod): boolean {
    const k = podKey(pod);
    const i = this.pods.findIndex((p) => podKey(p.pod) === k);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    removeFrom(this.podsWithAffinity, k);
    removeFrom(this.podsWithRequiredAntiAffinity, k);
    this.requested.subtract(pi.request);
    this.nonZeroRequested.milliCPU -= pi.nonZeroMilliCPU;
    this.nonZeroRequested.memory -= pi.nonZeroMemory;
    for (const p of pi.hostPorts) this.usedPorts.remove(p.ip, p.protocol, p.port);
    this.changed();
    return true;
  }

  /** A copy whose pod lists and sums can be changed without touching this one (PodInfos are shared). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods.push(...this.pods);
    c.podsWithAffinity.push(...this.podsWithAffinity);
    c.podsWithRequiredAntiAffinity.push(...this.podsWithRequiredAntiAffinity);
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable.clone();
    c.usedPorts = this.usedPorts.clone();
    c.imageSizes = this.imageSizes;
    c.generation = this.generation;
    return c;
  }
}

function removeFrom(list: PodInfo[], k: string): void {
  const i = list.findIndex((p) => podKey(p.pod) === k);
  if (i >= 0) list.splice(i, 1);
}
