// The fallback for kinds without a dedicated printer: NAME AGE, as upstream's default table
// convertor prints resources it has no handler for.
import { nameColumn, ageColumn, type TablePrinter, type TableCell } from './types.js';
import { since } from './format.js';

export const genericPrinter: TablePrinter = {
  columns: [nameColumn(), ageColumn()],
  cells: (o: { metadata?: { name?: string; creationTimestamp?: string } }, now): TableCell[] => [o.metadata?.name ?? '', since(o.metadata?.creationTimestamp, now)],
};
