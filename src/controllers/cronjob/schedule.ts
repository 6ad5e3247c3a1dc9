// Cron schedules as upstream's CronJob controller reads them (robfig/cron ParseStandard): five
// fields (minute hour day-of-month month day-of-week) with `*`, `?`, ranges `a-b`, steps `/n`,
// lists `a,b` and month/day names, or a macro (@yearly, @annually, @monthly, @weekly, @daily,
// @midnight, @hourly), with an optional `TZ=`/`CRON_TZ=` prefix. Times are matched on the wall
// clock of an IANA time zone (via Intl). Pure.
//
// Day matching follows cron: when both day-of-month and day-of-week are restricted (neither starts
// with `*` or `?`), a day matching either fires; otherwise both must match. Across daylight-saving
// changes: a wall time skipped by a spring-forward does not fire that day; a wall time repeated by
// a fall-back fires at its first occurrence and again at its second.

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day-of-month / day-of-week given as `*` or `?` (no step). */
  domStar: boolean;
  dowStar: boolean;
  /** A time zone from a TZ=/CRON_TZ= prefix. */
  timeZone?: string;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

interface Bounds { min: number; max: number; names?: Record<string, number> }
const BOUNDS: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS }];

function num(text: string, names?: Record<string, number>): number {
  const named = names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}`);
  return Number(text);
}

/** One field: the values it allows and whether it is a bare star. */
function parseField(field: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`too many slashes: ${part}`);
    const step = stepText === undefined ? 1 : num(stepText);
    if (step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = b.min; hi = b.max;
      if (step === 1) star = true;
    } else {
      const [a = '', z, more] = range.split('-');
      if (more !== undefined) throw new Error(`too many hyphens: ${part}`);
      lo = num(a, b.names);
      hi = z === undefined ? (stepText === undefined ? lo : b.max) : num(z, b.names);
    }
    if (lo < b.min) throw new Error(`beginning of range (${lo}) below minimum (${b.min}): ${part}`);
    if (hi > b.max) throw new Error(`end of range (${hi}) above maximum (${b.max}): ${part}`);
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a schedule; throws an Error with a robfig-like message when invalid. */
export function parseSchedule(text: string): CronSchedule {
  let spec = text.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(spec);
  if (tz) {
    timeZone = tz[1];
    spec = spec.slice(tz[0].length);
  }
  if (spec.startsWith('@')) {
    const macro = MACROS[spec];
    if (!macro) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = macro;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, h, dom, mo, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]!));
  return {
    minutes: mi!.values, hours: h!.values, daysOfMonth: dom!.values, months: mo!.values, daysOfWeek: dow!.values,
    domStar: dom!.star, dowStar: dow!.star, timeZone,
  };
}

export interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at instant `ms` (throws RangeError for an unknown zone). */
export function wallTime(ms: number, timeZone: string): WallTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** The zone's offset from UTC at instant `ms`, in minutes. */
export function utcOffsetMinutes(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000) / 60_000);
}

function dayMatches(s: CronSchedule, w: WallTime): boolean {
  const dom = s.daysOfMonth.has(w.day);
  const dow = s.daysOfWeek.has(w.weekday);
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

const MINUTE = 60_000;
/** Upstream robfig gives up after five years without a match (e.g. `0 0 30 2 *`). */
const HORIZON_MS = 5 * 366 * 24 * 60 * MINUTE;

/**
 * The first scheduled instant strictly after `after` (ms since the epoch), on whole minutes, or
 * undefined when none comes within five years.
 */
export function nextScheduleTime(s: CronSchedule, after: number, timeZone: string): number | undefined {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const end = after + HORIZON_MS;
  while (t <= end) {
    const w = wallTime(t, timeZone);
    const minutesToMidnight = 24 * 60 - w.hour * 60 - w.minute;
    let step: number;
    if (!s.months.has(w.month) || !dayMatches(s, w)) {
      // Close in on the next midnight without overshooting it when a DST change shortens the day.
      step = minutesToMidnight > 120 ? minutesToMidnight - 60 : Math.min(minutesToMidnight, 60 - w.minute);
    } else if (!s.hours.has(w.hour)) {
      step = 60 - w.minute;
    } else if (!s.minutes.has(w.minute)) {
      let m = w.minute + 1;
      while (m < 60 && !s.minutes.has(m)) m++;
      step = m - w.minute;
    } else {
      return t;
    }
    t += step * MINUTE;
  }
  return undefined;
}

/** RFC 3339 with the zone's offset at that instant (Go's time.RFC3339 of a time In(location)). */
export function formatInZone(ms: number, timeZone: string): string {
  const off = utcOffsetMinutes(ms, timeZone);
  const w = wallTime(ms, timeZone);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}${zone}`;
}
