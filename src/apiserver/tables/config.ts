// Namespaces, ConfigMaps, Secrets and ServiceAccounts.
import { column, nameColumn, ageColumn, type TablePrinter, type TableCell } from './types.js';
import { since } from './format.js';

interface Meta { metadata?: { name?: string; creationTimestamp?: string } }
const name = (o: Meta) => o.metadata?.name ?? '';
const age = (o: Meta, now: Date) => since(o.metadata?.creationTimestamp, now);
const count = (m: Record<string, unknown> | undefined) => Object.keys(m ?? {}).length;

export const namespacePrinter: TablePrinter = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  cells: (ns: Meta & { status?: { phase?: string } }, now): TableCell[] => [name(ns), ns.status?.phase ?? '', age(ns, now)],
};

export const configMapPrinter: TablePrinter = {
  columns: [nameColumn(), column('Data', 'string', 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.'), ageColumn()],
  cells: (cm: Meta & { data?: Record<string, string>; binaryData?: Record<string, string> }, now): TableCell[] =>
    [name(cm), count(cm.data) + count(cm.binaryData), age(cm, now)],
};

export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    column('Data', 'string', 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4'),
    ageColumn(),
  ],
  cells: (s: Meta & { type?: string; data?: Record<string, string> }, now): TableCell[] => [name(s), s.type ?? '', count(s.data), age(s, now)],
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn(), column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn()],
  cells: (sa: Meta & { secrets?: unknown[] }, now): TableCell[] => [name(sa), (sa.secrets ?? []).length, age(sa, now)],
};
