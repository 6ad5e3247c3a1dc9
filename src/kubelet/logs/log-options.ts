// The kubelet's log options (upstream ContainerLogs query → LogOptions), parsed and validated
// from the query of `/containerLogs/{ns}/{pod}/{container}` (the same names as PodLogOptions).

export interface LogOptions {
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  /** Only the last N lines (0: none). */
  tailLines?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** Only entries at or after this time (ms since the epoch); from sinceSeconds or sinceTime. */
  sinceMs?: number;
  /** Which streams to return; default both (PodLogOptions.stream, alpha upstream). */
  stream?: 'Stdout' | 'Stderr' | 'All';
}

/** A bad query value; the server answers 400 with the message. */
export class LogOptionsError extends Error {}

function bool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new LogOptionsError(`invalid value for ${name}: ${JSON.stringify(v)}`);
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new LogOptionsError(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/** Parses and validates as upstream's PodLogOptions validation (negative values refused, since exclusive). */
export function parseLogOptions(q: URLSearchParams, now: number): LogOptions {
  const o: LogOptions = { follow: bool(q, 'follow'), previous: bool(q, 'previous'), timestamps: bool(q, 'timestamps') };
  const tail = int(q, 'tailLines');
  if (tail !== undefined) {
    if (tail < 0) throw new LogOptionsError('tailLines: Invalid value: must be greater than or equal to 0');
    o.tailLines = tail;
  }
  const limit = int(q, 'limitBytes');
  if (limit !== undefined) {
    if (limit < 1) throw new LogOptionsError('limitBytes: Invalid value: must be greater than 0');
    o.limitBytes = limit;
  }
  const sinceSeconds = int(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new LogOptionsError('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceSeconds !== undefined) {
    if (sinceSeconds < 1) throw new LogOptionsError('sinceSeconds: Invalid value: must be greater than 0');
    o.sinceMs = now - sinceSeconds * 1000;
  } else if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new LogOptionsError(`invalid value for sinceTime: ${JSON.stringify(sinceTime)}`);
    o.sinceMs = t;
  }
  const stream = q.get('stream');
  if (stream) {
    if (stream !== 'Stdout' && stream !== 'Stderr' && stream !== 'All') throw new LogOptionsError(`stream: Unsupported value: "${stream}": supported values: "All", "Stderr", "Stdout"`);
    o.stream = stream;
  }
  return o;
}
