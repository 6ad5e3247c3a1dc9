// Cron schedule syntax as upstream's CronJob validation accepts it (robfig/cron ParseStandard):
// five fields (minute hour day-of-month month day-of-week) or an @descriptor, with an optional
// TZ=/CRON_TZ= prefix. Returns upstream-like error messages; empty means valid.

interface FieldBounds { min: number; max: number; names?: Record<string, number> }

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: FieldBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Go's time.ParseDuration grammar, enough for `@every <duration>`. */
const GO_DURATION = /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;

function parseIntOrName(value: string, expr: string, names?: Record<string, number>): number | string {
  if (names && value.toLowerCase() in names) return names[value.toLowerCase()];
  if (!/^-?[0-9]+$/.test(value)) return `failed to parse int from ${value}: strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`;
  const n = Number.parseInt(value, 10);
  if (n < 0) return `negative number (${n}) not allowed: ${expr}`;
  return n;
}

/** One comma-separated element of a field: `*`, `?`, `a`, `a-b`, each optionally `/step`. */
function checkRange(expr: string, b: FieldBounds): string | undefined {
  const slash = expr.split('/');
  if (slash.length > 2) return `too many slashes: ${expr}`;
  const lowAndHigh = slash[0].split('-');
  if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min; end = b.max;
  } else {
    const s = parseIntOrName(lowAndHigh[0], expr, b.names);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1], expr, b.names);
      if (typeof e === 'string') return e;
      end = e;
    } else end = start;
  }
  if (slash.length === 2) {
    const step = parseIntOrName(slash[1], expr);
    if (typeof step === 'string') return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** Validates a cron schedule; returns [] when valid, else one upstream-like message. */
export function cronScheduleErrors(schedule: string): string[] {
  let spec = schedule.trim();
  const tz = /^(CRON_TZ|TZ)=(\S*)\s*/.exec(spec);
  if (tz) {
    if (!isKnownTimeZone(tz[2])) return [`provided bad location ${tz[2]}: unknown time zone ${tz[2]}`];
    spec = spec.slice(tz[0].length);
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec)) return [];
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length).trim();
      return GO_DURATION.test(d) ? [] : [`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`];
    }
    return [`unrecognized descriptor: ${spec}`];
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return [`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`];
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i].split(',')) {
      const err = checkRange(part, FIELDS[i]);
      if (err) return [err];
    }
  }
  return [];
}

/** True when the IANA zone name is known to this runtime (as Go's time.LoadLocation). */
export function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
