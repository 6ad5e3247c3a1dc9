// metav1.Time / metav1.MicroTime decoding as upstream does it: Go's time.Parse with the RFC 3339
// layouts, its error texts, and re-serialisation in UTC (Time: whole seconds; MicroTime: six
// fractional digits, truncated). Covers exactly the two layouts the API uses.

export const RFC3339_LAYOUT = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';

export type GoTimeResult = { ok: true; text: string } | { ok: false; error: string };

/** Go's time package quoting (`quote` in time/format.go): ASCII kept, `"` and `\` escaped. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else {
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) return fixed ? undefined : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

/** Go atoi: optional sign then only digits. */
function atoi(s: string): number | undefined {
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] === '-' ? -n : n;
}

/** Go parseNanoseconds: `value` starts with the separator; `n` bytes form the fraction. */
function parseNanos(value: string, n: number): { nanos: number } | { range: string } | undefined {
  if (value[0] !== '.' && value[0] !== ',') return undefined;
  if (n > 10) n = 10;
  const ns = atoi(value.slice(1, n));
  if (ns === undefined) return undefined;
  if (ns < 0) return { range: 'fractional second' };
  return { nanos: ns * 10 ** (10 - n) };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const CANONICAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Fast path: already `YYYY-MM-DDTHH:MM:SSZ` with every field in range (what servers emit). */
function isCanonicalTime(value: string): boolean {
  const m = CANONICAL_TIME.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= daysIn(month, Number(m[1])) &&
    Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Parses `value` with Go's time.Parse(layout) for the RFC 3339 layouts and returns the text
 * upstream would serialise (`micro`: RFC3339Micro, else RFC3339 whole seconds, always UTC).
 */
export function parseGoTime(value: string, micro: boolean): GoTimeResult {
  if (!micro && isCanonicalTime(value)) return { ok: true, text: value };
  const layout = micro ? RFC3339_MICRO_LAYOUT : RFC3339_LAYOUT;
  const fail = (layoutElem: string, valueElem: string): GoTimeResult =>
    ({ ok: false, error: `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}` });
  const outOfRange = (what: string): GoTimeResult => ({ ok: false, error: `parsing time ${quote(value)}: ${what} out of range` });

  let rest = value;
  // Each step: the literal prefix before the element, then the element itself.
  const skip = (prefix: string): boolean => {
    if (rest.length === 0 || rest[0] !== prefix) return false;
    rest = rest.slice(1);
    return true;
  };

  // 2006
  if (rest.length < 4 || !isDigitAt(rest, 0)) return fail('2006', rest);
  const year = atoi(rest.slice(0, 4));
  if (year === undefined) return fail('2006', rest);
  rest = rest.slice(4);
  // -01
  if (!skip('-')) return fail('-', rest);
  let hold = rest;
  const mo = getnum(rest, true);
  if (!mo) return fail('01', hold);
  const month = mo[0];
  rest = mo[1];
  if (month <= 0 || month > 12) return outOfRange('month');
  // -02
  if (!skip('-')) return fail('-', rest);
  hold = rest;
  const d = getnum(rest, true);
  if (!d) return fail('02', hold);
  const day = d[0];
  rest = d[1];
  // T15
  if (!skip('T')) return fail('T', rest);
  hold = rest;
  const h = getnum(rest, false);
  if (!h) return fail('15', hold);
  const hour = h[0];
  rest = h[1];
  if (hour >= 24) return outOfRange('hour');
  // :04
  if (!skip(':')) return fail(':', rest);
  hold = rest;
  const mi = getnum(rest, true);
  if (!mi) return fail('04', hold);
  const minute = mi[0];
  rest = mi[1];
  if (minute >= 60) return outOfRange('minute');
  // :05
  if (!skip(':')) return fail(':', rest);
  hold = rest;
  const s = getnum(rest, true);
  if (!s) return fail('05', hold);
  const second = s[0];
  rest = s[1];
  if (second >= 60) return outOfRange('second');

  let nanos = 0;
  if (micro) {
    // .000000: exactly six digits after the separator.
    hold = rest;
    if (rest.length < 7) return fail('.000000', hold);
    const f = parseNanos(rest, 7);
    if (!f) return fail('.000000', hold);
    if ('range' in f) return outOfRange(f.range);
    nanos = f.nanos;
    rest = rest.slice(7);
  } else if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigitAt(rest, 1)) {
    // A fraction the layout does not mention is accepted (and later dropped).
    let n = 2;
    while (isDigitAt(rest, n)) n++;
    const f = parseNanos(rest, n);
    if (!f) return fail('05', hold);
    if ('range' in f) return outOfRange(f.range);
    nanos = f.nanos;
    rest = rest.slice(n);
  }

  // Z07:00
  hold = rest;
  let offsetSeconds = 0;
  if (rest.length >= 1 && rest[0] === 'Z') {
    rest = rest.slice(1);
  } else {
    if (rest.length < 6 || rest[3] !== ':') return fail('Z07:00', hold);
    const oh = getnum(rest.slice(1, 3), true);
    const om = getnum(rest.slice(4, 6), true);
    if (!oh || !om) return fail('Z07:00', hold);
    if (oh[0] > 24) return outOfRange('time zone offset hour');
    if (om[0] > 60) return outOfRange('time zone offset minute');
    if (rest[0] !== '+' && rest[0] !== '-') return fail('Z07:00', hold);
    offsetSeconds = (oh[0] * 60 + om[0]) * 60 * (rest[0] === '-' ? -1 : 1);
    rest = rest.slice(6);
  }
  if (rest.length > 0) return { ok: false, error: `parsing time ${quote(value)}: extra text: ${quote(rest)}` };
  if (day < 1 || day > daysIn(month, year)) return outOfRange('day');

  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, minute, second, 0);
  t.setTime(t.getTime() - offsetSeconds * 1000);
  const text = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}T` +
    `${pad(t.getUTCHours(), 2)}:${pad(t.getUTCMinutes(), 2)}:${pad(t.getUTCSeconds(), 2)}` +
    `${micro ? `.${pad(Math.floor(nanos / 1000), 6)}` : ''}Z`;
  return { ok: true, text };
}
