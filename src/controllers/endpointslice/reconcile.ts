// Pure: the writes that turn a Service's current EndpointSlices into its desired endpoints with
// little churn (upstream endpointslice reconciler.reconcileByAddressType, shared with the
// mirroring controller). Endpoints are grouped by address type and port set; each group fills
// slices of at most `maxEndpointsPerSlice`:
// 1. every existing slice keeps the desired endpoints it already holds (updated where they
//    changed); a slice left empty is marked for deletion; slices of groups no longer desired go;
// 2. the remaining endpoints first fill slices already being updated, then reuse slices marked for
//    deletion, then go into new slices — except a last partial chunk, which goes into the fullest
//    untouched slice with room for it, so one new pod costs one update, not a new slice.
// Slices that change nothing are never written.
import { jsonEqual, type EndpointSlice } from '../../api/index.js';

export type SliceEndpoint = NonNullable<EndpointSlice['endpoints']>[number];
export type SlicePort = NonNullable<EndpointSlice['ports']>[number];
export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

/** The desired endpoints sharing one address type and port set. */
export interface EndpointGroup {
  addressType: AddressType;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface SlicePlan {
  /** New slices (addressType, ports, endpoints; the caller adds metadata). */
  create: { addressType: AddressType; ports: SlicePort[]; endpoints: SliceEndpoint[] }[];
  /** Existing slices with new endpoints (metadata kept, resourceVersion included). */
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Existing slices left as they are. */
  unchanged: EndpointSlice[];
}

export interface PlanOptions {
  maxEndpointsPerSlice: number;
  /**
   * Keep one empty slice when there are no endpoints at all (upstream's placeholder slice of the
   * endpointslice controller), of this address type. Absent: no placeholder (mirroring).
   */
  placeholderAddressType?: AddressType;
}

/** The identity of an endpoint across syncs: its target (pod) and addresses. */
export function endpointKey(ep: SliceEndpoint): string {
  return `${ep.targetRef?.uid ?? ''}|${(ep.addresses ?? []).join(',')}`;
}

/** Ports in a canonical order (by name, then port and protocol) and their group key. */
export function groupKey(addressType: string, ports: readonly SlicePort[]): string {
  return `${addressType}|${JSON.stringify(sortPorts(ports).map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']))}`;
}

export function sortPorts(ports: readonly SlicePort[]): SlicePort[] {
  return [...ports].sort((a, b) => cmp(a.name ?? '', b.name ?? '') || (a.port ?? 0) - (b.port ?? 0) || cmp(a.protocol ?? '', b.protocol ?? ''));
}

export function planSlices(existing: readonly EndpointSlice[], groups: readonly EndpointGroup[], opts: PlanOptions): SlicePlan {
  const max = Math.max(1, opts.maxEndpointsPerSlice);
  const plan: SlicePlan = { create: [], update: [], delete: [], unchanged: [] };
  const wanted = new Map<string, EndpointGroup>();
  for (const g of groups) {
    if (g.endpoints.length === 0) continue;
    const key = groupKey(g.addressType, g.ports);
    const merged = wanted.get(key);
    if (merged) merged.endpoints.push(...g.endpoints);
    else wanted.set(key, { addressType: g.addressType, ports: sortPorts(g.ports), endpoints: [...g.endpoints] });
  }
  const byGroup = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const key = groupKey(s.addressType ?? '', s.ports ?? []);
    if (!wanted.has(key)) {
      plan.delete.push(s);
      continue;
    }
    byGroup.set(key, [...(byGroup.get(key) ?? []), s]);
  }
  for (const [key, group] of wanted) planGroup(byGroup.get(key) ?? [], group, max, plan);

  if (wanted.size === 0 && opts.placeholderAddressType) {
    const type = opts.placeholderAddressType;
    const isPlaceholder = (s: EndpointSlice) => s.addressType === type && !s.endpoints?.length && !s.ports?.length;
    const keep = plan.delete.find(isPlaceholder);
    if (keep) {
      plan.delete = plan.delete.filter((s) => s !== keep);
      plan.unchanged.push(keep);
    } else {
      plan.create.push({ addressType: type, ports: [], endpoints: [] });
    }
  }
  return plan;
}

function planGroup(slices: readonly EndpointSlice[], group: EndpointGroup, max: number, plan: SlicePlan): void {
  const desired = new Map<string, SliceEndpoint>();
  for (const ep of group.endpoints) desired.set(endpointKey(ep), ep);
  const toUpdate: EndpointSlice[] = [];
  const toDelete: EndpointSlice[] = [];
  const unchanged: EndpointSlice[] = [];
  // 1. Keep what each slice already holds, as far as it is still desired.
  for (const s of slices) {
    const kept: SliceEndpoint[] = [];
    let changed = (s.endpoints?.length ?? 0) > max;
    for (const ep of s.endpoints ?? []) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (!want || kept.length >= max) {
        changed = true;
        continue;
      }
      desired.delete(key);
      kept.push(want);
      if (!jsonEqual(want, ep)) changed = true;
    }
    if (kept.length === 0) toDelete.push(s);
    else if (changed) toUpdate.push({ ...s, endpoints: kept });
    else unchanged.push(s);
  }
  // 2. Place the rest: slices being updated first, then reused deletions, then new slices.
  const rest = [...desired.values()];
  for (const s of toUpdate) {
    while (rest.length && s.endpoints!.length < max) s.endpoints!.push(rest.shift()!);
  }
  while (rest.length) {
    const chunk = rest.splice(0, max);
    if (chunk.length < max) {
      const room = unchanged.filter((s) => (s.endpoints?.length ?? 0) + chunk.length <= max)
        .sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0))[0];
      if (room) {
        unchanged.splice(unchanged.indexOf(room), 1);
        toUpdate.push({ ...room, endpoints: [...(room.endpoints ?? []), ...chunk] });
        continue;
      }
    }
    const reuse = toDelete.shift();
    if (reuse) toUpdate.push({ ...reuse, endpoints: chunk });
    else plan.create.push({ addressType: group.addressType, ports: group.ports, endpoints: chunk });
  }
  plan.update.push(...toUpdate);
  plan.delete.push(...toDelete);
  plan.unchanged.push(...unchanged);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
