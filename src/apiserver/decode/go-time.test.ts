import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoTime } from './go-time.js';

const L = '"2006-01-02T15:04:05Z07:00"';

test('RFC 3339 times are normalised to UTC whole seconds', () => {
  assert.deepEqual(parseGoTime('2024-05-06T07:08:09Z', false), { ok: true, text: '2024-05-06T07:08:09Z' });
  assert.deepEqual(parseGoTime('2024-05-06T07:08:09.999999999+02:30', false), { ok: true, text: '2024-05-06T04:38:09Z' });
  assert.deepEqual(parseGoTime('2024-12-31T23:00:00-01:00', false), { ok: true, text: '2025-01-01T00:00:00Z' });
  assert.deepEqual(parseGoTime('0001-01-01T00:00:00Z', false), { ok: true, text: '0001-01-01T00:00:00Z' });
  assert.deepEqual(parseGoTime('2024-05-06T7:08:09Z', false), { ok: true, text: '2024-05-06T07:08:09Z' }, 'Go accepts a one-digit hour');
});

test('MicroTime keeps six fractional digits', () => {
  assert.deepEqual(parseGoTime('2024-05-06T07:08:09.000001Z', true), { ok: true, text: '2024-05-06T07:08:09.000001Z' });
  assert.deepEqual(parseGoTime('2024-05-06T07:08:09,500000+01:00', true), { ok: true, text: '2024-05-06T06:08:09.500000Z' });
});

test('errors carry Go time.Parse wording', () => {
  const err = (v: string, micro = false) => {
    const r = parseGoTime(v, micro);
    assert.equal(r.ok, false, v);
    return (r as { error: string }).error;
  };
  assert.equal(err(''), `parsing time "" as ${L}: cannot parse "" as "2006"`);
  assert.equal(err('2024/05/06'), `parsing time "2024/05/06" as ${L}: cannot parse "/05/06" as "-"`);
  assert.equal(err('2024-5-06T00:00:00Z'), `parsing time "2024-5-06T00:00:00Z" as ${L}: cannot parse "5-06T00:00:00Z" as "01"`);
  assert.equal(err('2024-05-06 00:00:00Z'), `parsing time "2024-05-06 00:00:00Z" as ${L}: cannot parse " 00:00:00Z" as "T"`);
  assert.equal(err('2024-05-06T00:00:00'), `parsing time "2024-05-06T00:00:00" as ${L}: cannot parse "" as "Z07:00"`);
  assert.equal(err('2024-05-06T00:00:00+0100'), `parsing time "2024-05-06T00:00:00+0100" as ${L}: cannot parse "+0100" as "Z07:00"`);
  assert.equal(err('2024-13-06T00:00:00Z'), 'parsing time "2024-13-06T00:00:00Z": month out of range');
  assert.equal(err('2023-02-29T00:00:00Z'), 'parsing time "2023-02-29T00:00:00Z": day out of range');
  assert.equal(err('2024-05-06T24:00:00Z'), 'parsing time "2024-05-06T24:00:00Z": hour out of range');
  assert.equal(err('2024-05-06T00:60:00Z'), 'parsing time "2024-05-06T00:60:00Z": minute out of range');
  assert.equal(err('2024-05-06T00:00:00Zjunk'), 'parsing time "2024-05-06T00:00:00Zjunk": extra text: "junk"');
  assert.equal(err('2024-05-06T00:00:00+25:00'), 'parsing time "2024-05-06T00:00:00+25:00": time zone offset hour out of range');
  assert.equal(err('"x"'), `parsing time "\\"x\\"" as ${L}: cannot parse "\\"x\\"" as "2006"`);
  assert.equal(err('2024-05-06T00:00:00.12Z', true),
    'parsing time "2024-05-06T00:00:00.12Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".12Z" as ".000000"');
});
