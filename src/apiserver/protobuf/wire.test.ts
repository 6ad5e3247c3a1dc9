import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../api/index.js';
import { WireReader, varintToBool, varintToInt32, varintToInt64 } from './wire.js';
import { varint, key, int, str } from './wire-writer.js';

const reader = (...parts: (Buffer | number[])[]) => new WireReader(Buffer.concat(parts.map((p) => Buffer.from(p))));

/** Asserts `fn` throws a 400 BadRequest StatusError whose message matches. */
function throws400(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e, 'BadRequest'), `not a BadRequest StatusError: ${String(e)}`);
    assert.equal(e.status.code, 400);
    assert.match(e.status.message ?? '', message);
    return true;
  });
}

describe('WireReader varints', () => {
  const cases: [number | bigint, (v: ReturnType<WireReader['readVarint']>) => unknown, unknown][] = [
    [0, varintToInt64, 0],
    [1, varintToInt64, 1],
    [300, varintToInt64, 300],
    [2 ** 31, varintToInt64, 2 ** 31],
    [2 ** 53 - 1, varintToInt64, 2 ** 53 - 1],
    [-1, varintToInt64, -1],
    [-3600, varintToInt64, -3600],
    [-(2 ** 40), varintToInt64, -(2 ** 40)],
    [-1, varintToInt32, -1],
    [-2147483648, varintToInt32, -2147483648],
    [2147483647, varintToInt32, 2147483647],
    [1, varintToBool, true],
    [0, varintToBool, false],
  ];
  for (const [value, convert, want] of cases) {
    it(`${String(value)} → ${String(want)}`, () => {
      const r = reader(varint(value));
      assert.equal(convert(r.readVarint()), want);
      assert.ok(r.done);
    });
  }

  it('negative numbers take ten bytes, as Go writes them', () => {
    assert.equal(varint(-1).length, 10);
  });

  it('rejects a truncated varint', () => {
    throws400(() => reader([0x80, 0x80]).readVarint(), /^unexpected EOF$/);
  });

  it('rejects varints longer than ten bytes or overflowing 64 bits', () => {
    throws400(() => reader(Array(11).fill(0x80).concat([0])).readVarint(), /integer overflow/);
    throws400(() => reader([...Array(9).fill(0xff), 0x02]).readVarint(), /integer overflow/);
  });
});

describe('WireReader tags and payloads', () => {
  it('reads field numbers and wire types', () => {
    const r = reader(int(3, 7), str(17, 'hi'));
    assert.deepEqual(r.readTag('M'), { field: 3, wireType: 0 });
    r.skip(0);
    assert.deepEqual(r.readTag('M'), { field: 17, wireType: 2 });
    assert.equal(Buffer.from(r.readBytes()).toString(), 'hi');
    assert.ok(r.done);
  });

  it('rejects field number 0 like gogo-protobuf', () => {
    throws400(() => reader([0x00]).readTag('DeploymentSpec'), /^proto: DeploymentSpec: illegal tag 0 \(wire type 0\)$/);
  });

  it('rejects end-group and unknown wire types', () => {
    throws400(() => reader(key(1, 4)).readTag('M'), /end group/);
    throws400(() => reader(key(1, 6), [0]).skip(6), /illegal wireType 6/);
    throws400(() => reader(key(1, 3)).skip(3), /illegal wireType 3/);
  });

  it('rejects lengths past the end of the input, however large', () => {
    throws400(() => reader(varint(5), [1, 2, 3]).readBytes(), /^unexpected EOF$/);
    throws400(() => reader(varint(2n ** 40n)).readBytes(), /^unexpected EOF$/);
    throws400(() => reader(varint(2 ** 31)).readBytes(), /^unexpected EOF$/);
  });

  it('rejects negative lengths', () => {
    throws400(() => reader(varint(-5)).readBytes(), /negative length/);
  });

  it('rejects truncated fixed-width values', () => {
    throws400(() => reader([1, 2, 3]).readFixed32(), /^unexpected EOF$/);
    throws400(() => reader([1, 2, 3, 4, 5, 6, 7]).readFixed64(), /^unexpected EOF$/);
    const r = reader([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual([...r.readFixed64()], [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads within the given window only', () => {
    const buf = Buffer.concat([str(1, 'abc'), str(2, 'def')]);
    const r = new WireReader(buf, 0, 5);
    r.readTag('M');
    r.readBytes();
    assert.ok(r.done);
  });
});
