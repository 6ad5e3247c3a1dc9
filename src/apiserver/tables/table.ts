// Builds the meta.k8s.io/v1 Table the API server returns for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what `kubectl get` asks for).
// Called by the list/get handlers with the objects already read and filtered; pure.
import type { KubeObject, ResourceType } from '../../api/index.js';
import type { Table, TableRow } from './types.js';
import { printerFor } from './registry.js';

export interface TableOptions {
  /** What each row's `object` holds: PartialObjectMetadata (default), the full object, or nothing. */
  includeObject?: 'None' | 'Metadata' | 'Object';
  /** The time ages are computed against; defaults to the current time. */
  now?: Date;
  /** The list's metadata, copied to the Table's metadata. */
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

/**
 * The object's metadata (copied) under PartialObjectMetadata: a Table row with
 * includeObject=Metadata, or an `as=PartialObjectMetadata` answer in meta.k8s.io/`version`.
 */
export function partialObjectMetadata(obj: KubeObject, version = 'v1'): { apiVersion: string; kind: 'PartialObjectMetadata'; metadata: KubeObject['metadata'] } {
  return { apiVersion: `meta.k8s.io/${version}`, kind: 'PartialObjectMetadata', metadata: structuredClone(obj.metadata ?? {}) };
}

export function toTable(rt: ResourceType, objects: KubeObject[], opts: TableOptions = {}): Table {
  const printer = printerFor(rt.group, rt.plural);
  const now = opts.now ?? new Date();
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (include === 'Metadata') row.object = partialObjectMetadata(obj);
    else if (include === 'Object') row.object = structuredClone(obj);
    return row;
  });
  const metadata: Table['metadata'] = {};
  const lm = opts.listMeta ?? {};
  if (lm.resourceVersion !== undefined) metadata.resourceVersion = lm.resourceVersion;
  if (lm.continue) metadata.continue = lm.continue;
  if (lm.remainingItemCount !== undefined) metadata.remainingItemCount = lm.remainingItemCount;
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: printer.columns.map((c) => ({ ...c })), rows };
}
