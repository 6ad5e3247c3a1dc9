// The numbers the per-node Filter and Score hot paths read (resources, pod count, cordon and
// taint flags), packed row by row in one Float64Array per Snapshot. A cycle filters and scores
// a few hundred consecutive nodes; reading their rows is a sequential scan of one array instead
// of chasing NodeInfo → Resource → boxed number for every field.
//
// Contract: a NodeInfo attached to a table (Snapshot does it for its own NodeInfos) writes its row
// again after every change (setNode, addPodInfo, removePod), so a row always equals what the
// NodeInfo's own fields say; readers may use either. A clone is never attached. Readers must
// fall back to the NodeInfo's fields when `nodeInfo.table` is undefined.
import type { NodeInfo } from './node-info.js';

/** Column offsets inside a row. */
export const ALLOC_MILLI_CPU = 0;
export const ALLOC_MEMORY = 1;
export const ALLOC_EPHEMERAL = 2;
export const ALLOWED_PODS = 3;
export const REQ_MILLI_CPU = 4;
export const REQ_MEMORY = 5;
export const REQ_EPHEMERAL = 6;
export const POD_COUNT = 7;
export const NON_ZERO_MILLI_CPU = 8;
export const NON_ZERO_MEMORY = 9;
/** Bit set of FLAG_* values. */
export const FLAGS = 10;
export const ROW_STRIDE = 12;

/** The NodeInfo has a Node object. */
export const FLAG_HAS_NODE = 1;
/** node.spec.unschedulable is set (cordoned). */
export const FLAG_UNSCHEDULABLE = 2;
/** node.spec.taints is not empty. */
export const FLAG_HAS_TAINTS = 4;
/** The node's allocatable or its pods' requests include scalar (extended) resources. */
export const FLAG_HAS_SCALARS = 8;

export class NodeTable {
  readonly data: Float64Array;

  constructor(rows: number) {
    this.data = new Float64Array(Math.max(1, rows) * ROW_STRIDE);
  }

  /** Copies `ni`'s numbers into row `row`. */
  write(row: number, ni: NodeInfo): void {
    const d = this.data;
    const o = row * ROW_STRIDE;
    const a = ni.allocatable;
    const r = ni.requested;
    d[o + ALLOC_MILLI_CPU] = a.milliCPU;
    d[o + ALLOC_MEMORY] = a.memory;
    d[o + ALLOC_EPHEMERAL] = a.ephemeralStorage;
    d[o + ALLOWED_PODS] = a.allowedPodNumber;
    d[o + REQ_MILLI_CPU] = r.milliCPU;
    d[o + REQ_MEMORY] = r.memory;
    d[o + REQ_EPHEMERAL] = r.ephemeralStorage;
    d[o + POD_COUNT] = ni.pods.length;
    d[o + NON_ZERO_MILLI_CPU] = ni.nonZeroRequested.milliCPU;
    d[o + NON_ZERO_MEMORY] = ni.nonZeroRequested.memory;
    const spec = ni.node?.spec;
    let flags = 0;
    if (ni.node) flags |= FLAG_HAS_NODE;
    if (spec?.unschedulable) flags |= FLAG_UNSCHEDULABLE;
    if (spec?.taints && spec.taints.length > 0) flags |= FLAG_HAS_TAINTS;
    if (a.scalarResources?.size || r.scalarResources?.size) flags |= FLAG_HAS_SCALARS;
    d[o + FLAGS] = flags;
  }
}
