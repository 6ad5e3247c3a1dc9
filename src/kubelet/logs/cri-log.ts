// The CRI container log format, as the runtime writes it and the kubelet reads it back:
//   <RFC3339Nano timestamp> <stdout|stderr> <P|F> <content>\n
// `P` marks a partial line (the runtime split a long line or the process wrote no newline yet):
// its content continues in the next entry of the same stream. Pure functions, no I/O.

export type LogStream = 'stdout' | 'stderr';

/** One entry of a CRI log file. */
export interface CriLogEntry {
  /** The timestamp exactly as stored. */
  timestamp: string;
  /** Milliseconds since the epoch (sub-millisecond digits dropped). */
  time: number;
  stream: LogStream;
  /** `F`: the entry ends a line; `P`: it continues in the next entry. */
  partial: boolean;
  /** The content, without the trailing newline. */
  content: Buffer;
}

/**
 * Parses one line (without its `\n`). Returns undefined for a line that is not CRI-formatted
 * (upstream's parseCRILog errors and the reader skips the line).
 */
export function parseCriLine(line: Buffer): CriLogEntry | undefined {
  const s1 = line.indexOf(0x20);
  if (s1 <= 0) return undefined;
  const timestamp = line.toString('latin1', 0, s1);
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  const s2 = line.indexOf(0x20, s1 + 1);
  if (s2 < 0) return undefined;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // The tag field may hold several ':'-separated tags; only the first (P or F) is defined.
  const s3 = line.indexOf(0x20, s2 + 1);
  const tagEnd = s3 < 0 ? line.length : s3;
  const tag = line.toString('latin1', s2 + 1, tagEnd).split(':')[0];
  if (tag !== 'P' && tag !== 'F') return undefined;
  const content = s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1);
  return { timestamp, time, stream, partial: tag === 'P', content };
}

/** Formats one entry as a CRI log line, newline included (what a runtime writes). */
export function formatCriLine(time: Date | string, stream: LogStream, content: string | Buffer, partial = false): Buffer {
  const ts = typeof time === 'string' ? time : formatRfc3339Nano(time);
  return Buffer.concat([Buffer.from(`${ts} ${stream} ${partial ? 'P' : 'F'} `), Buffer.from(content), Buffer.from('\n')]);
}

/**
 * RFC3339Nano as Go prints it (UTC, fraction without trailing zeros): the form
 * `--timestamps` shows. A stored timestamp keeps its sub-millisecond digits.
 */
export function formatRfc3339Nano(t: Date | string): string {
  if (typeof t === 'string') {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
    if (m && m[3] === 'Z') {
      const frac = (m[2] ?? '').slice(0, 9).replace(/0+$/, '');
      return `${m[1]}${frac ? `.${frac}` : ''}Z`;
    }
    return formatRfc3339Nano(new Date(Date.parse(t)));
  }
  const iso = t.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/**
 * Splits a byte stream into lines. `push` returns the complete lines seen so far; an unfinished
 * tail is kept for the next chunk (a log file being appended to may end mid-line).
 */
export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const lines: Buffer[] = [];
    let start = 0;
    for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, start)) {
      lines.push(data.subarray(start, i));
      start = i + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
    return lines;
  }

  /** What remains after the last newline (an unterminated final line). */
  flush(): Buffer | undefined {
    const r = this.rest;
    this.rest = Buffer.alloc(0);
    return r.length ? r : undefined;
  }
}
