// Resource arithmetic in plain numbers (millicores, bytes, counts) and the pod request computation
// shared by NodeInfo accounting and NodeResourcesFit. Quantities are parsed once per pod, never on
// the per-node hot path.
import { quantityToMilli, quantityValue, type Pod } from '../../api/index.js';

/** Upstream's default CPU request used for scoring containers that request none (100m). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Upstream's default memory request used for scoring containers that request none (200Mi). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type ResourceList = Readonly<Record<string, string | number>> | null | undefined;

/**
 * Parsed quantity strings. The scheduler parses the same few request strings ("100m", "500Mi")
 * for every pod it caches, assumes or sees change, and parsing is exact (BigInt) hence slow; the
 * parse is a pure function of the string. Cleared when it grows past MEMO_LIMIT distinct strings.
 */
const MEMO_LIMIT = 4096;
const milliMemo = new Map<string, number>();
const valueMemo = new Map<string, number>();

function memoized(memo: Map<string, number>, parse: (q: string | number) => number, q: string | number): number {
  if (typeof q !== 'string') return parse(q);
  let v = memo.get(q);
  if (v === undefined) {
    v = parse(q);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(q, v);
  }
  return v;
}

const toMilli = (q: string | number): number => memoized(milliMemo, quantityToMilli, q);
const toValue = (q: string | number): number => memoized(valueMemo, quantityValue, q);

/**
 * True for resources tracked as "scalar" (upstream IsScalarResourceName): extended resources
 * (`example.com/gpu`), prefixed native ones (`kubernetes.io/…`), `hugepages-*`, `attachable-volumes-*`.
 */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** A set of compute resources (upstream framework.Resource). */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  /** Pod count capacity (`pods` in allocatable); a pod's own request leaves it 0. */
  allowedPodNumber = 0;
  scalarResources: Map<string, number> | undefined;

  /** Parses a ResourceList (allocatable, requests, overhead). */
  static fromList(list: ResourceList): Resource {
    const r = new Resource();
    r.addList(list);
    return r;
  }

  addList(list: ResourceList): void {
    if (!list) return;
    for (const name in list) {
      const q = list[name]!;
      switch (name) {
        case 'cpu': this.milliCPU += toMilli(q); break;
        case 'memory': this.memory += toValue(q); break;
        case 'ephemeral-storage': this.ephemeralStorage += toValue(q); break;
        case 'pods': this.allowedPodNumber += toValue(q); break;
        default:
          if (isScalarResourceName(name)) this.addScalar(name, toValue(q));
      }
    }
  }

  addScalar(name: string, value: number): void {
    if (!this.scalarResources) this.scalarResources = new Map();
    this.scalarResources.set(name, (this.scalarResources.get(name) ?? 0) + value);
  }

  scalar(name: string): number {
    return this.scalarResources?.get(name) ?? 0;
  }

  add(other: Resource): void {
    this.milliCPU += other.milliCPU;
    this.memory += other.memory;
    this.ephemeralStorage += other.ephemeralStorage;
    this.allowedPodNumber += other.allowedPodNumber;
    if (other.scalarResources) for (const [k, v] of other.scalarResources) this.addScalar(k, v);
  }

  subtract(other: Resource): void {
    this.milliCPU -= other.milliCPU;
    this.memory -= other.memory;
    this.ephemeralStorage -= other.ephemeralStorage;
    this.allowedPodNumber -= other.allowedPodNumber;
    if (other.scalarResources) for (const [k, v] of other.scalarResources) this.addScalar(k, -v);
  }

  /** Raises each resource to at least `other`'s (upstream SetMaxResource). */
  setMax(other: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, other.milliCPU);
    this.memory = Math.max(this.memory, other.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, other.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, other.allowedPodNumber);
    if (other.scalarResources) {
      for (const [k, v] of other.scalarResources) {
        if (!this.scalarResources) this.scalarResources = new Map();
        this.scalarResources.set(k, Math.max(this.scalarResources.get(k) ?? 0, v));
      }
    }
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  /** True when nothing is requested (best-effort for the tracked resources). */
  isZero(): boolean {
    if (this.milliCPU !== 0 || this.memory !== 0 || this.ephemeralStorage !== 0) return false;
    if (this.scalarResources) for (const v of this.scalarResources.values()) if (v !== 0) return false;
    return true;
  }
}

/** How container requests are read: as written, or with upstream's scoring defaults for cpu/memory. */
export interface PodRequestOptions {
  /** Fill a container's missing cpu/memory request with 100m/200Mi (upstream NonMissingContainerRequests). */
  nonZero?: boolean;
}

function containerRequest(requests: ResourceList, nonZero: boolean): Resource {
  const r = Resource.fromList(requests);
  if (nonZero) {
    if (!requests || requests.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!requests || requests.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * The resources a pod needs on a node (upstream resourcehelper.PodRequests as used by
 * computePodResourceRequest): the sum of its containers, raised to the largest init-container
 * step (sidecars — init containers with restartPolicy Always — keep running and add to both),
 * plus `spec.overhead`.
 */
export function computePodResourceRequest(pod: Pod, opts: PodRequestOptions = {}): Resource {
  const nonZero = opts.nonZero === true;
  const spec = pod.spec;
  const reqs = new Resource();
  if (!spec) return reqs;
  for (const c of spec.containers ?? []) reqs.add(containerRequest(c.resources?.requests, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequest(c.resources?.requests, nonZero);
    if (c.restartPolicy === 'Always') {
      reqs.add(r);
      sidecars.add(r);
      initMax.setMax(sidecars);
    } else {
      r.add(sidecars);
      initMax.setMax(r);
    }
  }
  reqs.setMax(initMax);
  if (spec.overhead) reqs.addList(spec.overhead);
  return reqs;
}
