// Table printers: the server side of `kubectl get` (meta.k8s.io/v1 Table), with upstream's columns.
export { toTable, partialObjectMetadata, type TableOptions } from './table.js';
export { printerFor, PRINTERS } from './registry.js';
export { humanDuration, since } from './format.js';
export type { Table, TableRow, TableCell, TableColumnDefinition, TableRowCondition, TablePrinter } from './types.js';
