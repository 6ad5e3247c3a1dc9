// meta.k8s.io/v1 Table types and the printer contract. A printer turns one object into the cells
// of one row, in the order of its columns, exactly as upstream's printers
// (pkg/printers/internalversion/printers.go) do for `kubectl get`.

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: 'string', 'integer', 'number', 'boolean'. */
  type: string;
  /** 'name' for the column holding the object's name; '' otherwise. */
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown with `-o wide`. */
  priority: number;
}

export type TableCell = string | number | boolean | null;

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata, the full object, or absent (includeObject=None). */
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** Prints one kind. Pure: the same object and `now` always give the same cells. */
export interface TablePrinter {
  columns: TableColumnDefinition[];
  /** One cell per column, in column order. */
  cells(obj: any, now: Date): TableCell[];
  /** Row conditions (e.g. pods that completed), when the kind has any. */
  conditions?(obj: any): TableRowCondition[] | undefined;
}

/** A column definition; `priority: 1` marks the `-o wide` ones. */
export function column(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

/** Upstream's descriptions of the standard columns (from ObjectMeta's documentation). */
export const NAME_DESCRIPTION = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const AGE_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn = (): TableColumnDefinition => column('Name', 'string', NAME_DESCRIPTION, 0, 'name');
export const ageColumn = (): TableColumnDefinition => column('Age', 'string', AGE_DESCRIPTION);
export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';
