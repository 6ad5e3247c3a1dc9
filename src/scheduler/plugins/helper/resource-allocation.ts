// The scorer shared by NodeResourcesFit's strategies and NodeResourcesBalancedAllocation (upstream
// noderesources resourceAllocationScorer): per configured resource, the node's allocatable and
// what would be requested with the pod, handed to a strategy function.
import type { Pod } from '../../../api/index.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { ALLOC_EPHEMERAL, ALLOC_MEMORY, ALLOC_MILLI_CPU, NON_ZERO_MEMORY, NON_ZERO_MILLI_CPU, REQ_EPHEMERAL, REQ_MEMORY, REQ_MILLI_CPU, ROW_STRIDE } from '../../framework/node-table.js';
import { computePodResourceRequest, isScalarResourceName, type Resource } from '../../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** (requested, allocatable) per resource → node score; arrays are reused across nodes. */
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

function amount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu': return r.milliCPU;
    case 'memory': return r.memory;
    case 'ephemeral-storage': return r.ephemeralStorage;
    default: return r.scalar(name);
  }
}

/**
 * The pod's request per resource, in `resources` order. `useRequested` false applies upstream's
 * 100m/200Mi defaults to containers without cpu/memory requests.
 */
export function podRequestList(pod: Pod, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const r = computePodResourceRequest(pod, { nonZero: !useRequested });
  return resources.map((s) => amount(r, s.name));
}

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL = 2;
const SCALAR = 3;

export class ResourceAllocationScorer {
  private readonly requested: number[];
  private readonly allocatable: number[];
  /** Per configured resource: CPU, MEMORY, EPHEMERAL or SCALAR. */
  private readonly kinds: number[];
  /** Every configured resource is cpu, memory or ephemeral-storage (the node table has them all). */
  private readonly tableOnly: boolean;

  constructor(readonly resources: readonly ResourceSpec[], private readonly scorer: ResourceScorer, private readonly useRequested: boolean) {
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
    this.kinds = resources.map((r) => (r.name === 'cpu' ? CPU : r.name === 'memory' ? MEMORY : r.name === 'ephemeral-storage' ? EPHEMERAL : SCALAR));
    this.tableOnly = this.kinds.every((k) => k !== SCALAR);
  }

  podRequests(pod: Pod): number[] {
    return podRequestList(pod, this.resources, this.useRequested);
  }

  /** Upstream resourceAllocationScorer.score; resources the node lacks are left out (0/0). */
  score(ni: NodeInfo, podRequests: readonly number[]): number {
    const req = this.requested;
    const alloc = this.allocatable;
    const t = ni.table;
    if (t !== undefined && this.tableOnly) {
      // The same numbers from the node's row of the snapshot table (see node-table.ts).
      const d = t.data;
      const o = ni.row * ROW_STRIDE;
      const kinds = this.kinds;
      for (let i = 0; i < kinds.length; i++) {
        const k = kinds[i]!;
        let a: number;
        let r: number;
        if (k === CPU) { a = d[o + ALLOC_MILLI_CPU]!; r = d[o + (this.useRequested ? REQ_MILLI_CPU : NON_ZERO_MILLI_CPU)]!; }
        else if (k === MEMORY) { a = d[o + ALLOC_MEMORY]!; r = d[o + (this.useRequested ? REQ_MEMORY : NON_ZERO_MEMORY)]!; }
        else { a = d[o + ALLOC_EPHEMERAL]!; r = d[o + REQ_EPHEMERAL]!; }
        alloc[i] = a;
        req[i] = a === 0 ? 0 : r + podRequests[i]!;
      }
      return this.scorer(req, alloc);
    }
    const requested = this.useRequested ? ni.requested : ni.nonZeroRequested;
    for (let i = 0; i < this.resources.length; i++) {
      const name = this.resources[i]!.name;
      const podRequest = podRequests[i]!;
      let a = 0;
      let r = 0;
      switch (name) {
        case 'cpu': a = ni.allocatable.milliCPU; r = requested.milliCPU + podRequest; break;
        case 'memory': a = ni.allocatable.memory; r = requested.memory + podRequest; break;
        case 'ephemeral-storage': a = ni.allocatable.ephemeralStorage; r = ni.requested.ephemeralStorage + podRequest; break;
        default:
          if (podRequest === 0 && isScalarResourceName(name)) break;
          if (ni.allocatable.scalarResources?.has(name)) { a = ni.allocatable.scalar(name); r = ni.requested.scalar(name) + podRequest; }
      }
      alloc[i] = a;
      req[i] = a === 0 ? 0 : r;
    }
    return this.scorer(req, alloc);
  }
}
