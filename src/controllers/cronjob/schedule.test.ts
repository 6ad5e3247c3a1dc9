import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInZone, nextScheduleTime, parseSchedule } from './schedule.js';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
/** The next `n` times after `from` (UTC ISO strings). */
function nextTimes(schedule: string, from: string, n: number, tz = 'UTC'): (string | undefined)[] {
  const s = parseSchedule(schedule);
  const out: (string | undefined)[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < n; i++) {
    const next = nextScheduleTime(s, t, s.timeZone ?? tz);
    out.push(iso(next));
    if (next === undefined) break;
    t = next;
  }
  return out;
}

test('fields: ranges, steps, lists and names', () => {
  const s = parseSchedule('0-10/5,30 */6 1,15 JAN-mar mon-FRI');
  assert.deepEqual([...s.minutes], [0, 5, 10, 30]);
  assert.deepEqual([...s.hours], [0, 6, 12, 18]);
  assert.deepEqual([...s.daysOfMonth], [1, 15]);
  assert.deepEqual([...s.months], [1, 2, 3]);
  assert.deepEqual([...s.daysOfWeek], [1, 2, 3, 4, 5]);
  assert.equal(s.domStar, false);
  assert.deepEqual([...parseSchedule('5/20 * * * *').minutes], [5, 25, 45]);
  assert.equal(parseSchedule('* * */2 * *').domStar, false);
  assert.equal(parseSchedule('* * ? * *').domStar, true);
  assert.throws(() => parseSchedule('* * * *'), /expected exactly 5 fields, found 4/);
  assert.throws(() => parseSchedule('60 * * * *'), /above maximum/);
  assert.throws(() => parseSchedule('@fortnightly'), /unrecognized descriptor/);
  assert.equal(parseSchedule('CRON_TZ=Europe/Paris 0 9 * * *').timeZone, 'Europe/Paris');
});

test('macros', () => {
  const from = '2026-03-14T10:20:00Z';
  assert.deepEqual(nextTimes('@hourly', from, 2), ['2026-03-14T11:00:00.000Z', '2026-03-14T12:00:00.000Z']);
  assert.deepEqual(nextTimes('@daily', from, 1), ['2026-03-15T00:00:00.000Z']);
  assert.deepEqual(nextTimes('@midnight', from, 1), ['2026-03-15T00:00:00.000Z']);
  assert.deepEqual(nextTimes('@weekly', from, 1), ['2026-03-15T00:00:00.000Z']); // a Sunday
  assert.deepEqual(nextTimes('@monthly', from, 1), ['2026-04-01T00:00:00.000Z']);
  assert.deepEqual(nextTimes('@yearly', from, 1), ['2027-01-01T00:00:00.000Z']);
  assert.deepEqual(nextTimes('@annually', from, 1), ['2027-01-01T00:00:00.000Z']);
});

test('next times are strictly after, on whole minutes', () => {
  assert.deepEqual(nextTimes('*/15 * * * *', '2026-01-01T00:00:00Z', 3), ['2026-01-01T00:15:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:45:00.000Z']);
  assert.deepEqual(nextTimes('* * * * *', '2026-01-01T00:00:30.500Z', 1), ['2026-01-01T00:01:00.000Z']);
});

test('day-of-month and day-of-week: either when both are restricted, both when one is a star', () => {
  // 13th or a Friday, March 2026: Fri 6, Fri 13, Fri 20.
  assert.deepEqual(nextTimes('0 0 13 * 5', '2026-03-01T00:00:00Z', 3), ['2026-03-06T00:00:00.000Z', '2026-03-13T00:00:00.000Z', '2026-03-20T00:00:00.000Z']);
  assert.deepEqual(nextTimes('0 0 * * 5', '2026-03-01T00:00:00Z', 1), ['2026-03-06T00:00:00.000Z']);
  assert.deepEqual(nextTimes('0 0 29 2 *', '2026-01-01T00:00:00Z', 1), ['2028-02-29T00:00:00.000Z']);
  assert.deepEqual(nextTimes('0 0 30 2 *', '2026-01-01T00:00:00Z', 1), [undefined]);
});

test('time zones follow the wall clock, across daylight-saving changes', () => {
  // 09:00 in New York: 14:00Z in winter (EST), 13:00Z after the 8 March 2026 switch (EDT).
  assert.deepEqual(nextTimes('0 9 * * *', '2026-03-06T12:00:00Z', 3, 'America/New_York'),
    ['2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
  // 02:30 does not exist on 8 March 2026 in New York: skipped that day.
  assert.deepEqual(nextTimes('30 2 * * *', '2026-03-07T12:00:00Z', 2, 'America/New_York'),
    ['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
  // Paris, via the schedule's CRON_TZ prefix; Europe switches on 29 March 2026.
  assert.deepEqual(nextTimes('CRON_TZ=Europe/Paris 0 12 * * *', '2026-03-28T00:00:00Z', 2),
    ['2026-03-28T11:00:00.000Z', '2026-03-29T10:00:00.000Z']);
  // Kolkata is UTC+05:30 all year.
  assert.deepEqual(nextTimes('0 0 * * *', '2026-06-01T00:00:00Z', 1, 'Asia/Kolkata'), ['2026-06-01T18:30:00.000Z']);
  assert.equal(formatInZone(Date.parse('2026-03-08T13:00:00Z'), 'America/New_York'), '2026-03-08T09:00:00-04:00');
  assert.equal(formatInZone(Date.parse('2026-06-01T18:30:00Z'), 'Asia/Kolkata'), '2026-06-02T00:00:00+05:30');
  assert.equal(formatInZone(Date.parse('2026-06-01T18:30:00Z'), 'UTC'), '2026-06-01T18:30:00Z');
});
