import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SPDY3_DICTIONARY } from './dictionary.js';
import {
  encodeData, encodeGoAway, encodePing, encodeRstStream, encodeSettings, encodeSynReply, encodeSynStream, encodeWindowUpdate,
  FLAG_FIN, FrameParser, SpdyProtocolError,
} from './frames.js';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-codec.js';

test('the SPDY/3 dictionary is the 1423 bytes of the draft', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  assert.equal(SPDY3_DICTIONARY.subarray(-7).toString('latin1'), ',enq=0.');
  // Pinned: the bytes kubectl's zlib was primed with in the integration tests.
  assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
});

test('frames round-trip through the parser, also when split at every byte', () => {
  const wire = Buffer.concat([
    encodeSynStream(1, Buffer.from('hdr'), FLAG_FIN, 0, 3),
    encodeSynReply(1, Buffer.from('rep')),
    encodeData(1, Buffer.from('payload'), true),
    encodeRstStream(3, 5),
    encodeSettings([{ id: 7, value: 65536 }]),
    encodePing(42),
    encodeGoAway(7, 0),
    encodeWindowUpdate(1, 1000),
  ]);
  const expected = [
    { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 3, flags: FLAG_FIN, headerBlock: Buffer.from('hdr') },
    { type: 'syn_reply', streamId: 1, flags: 0, headerBlock: Buffer.from('rep') },
    { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('payload') },
    { type: 'rst_stream', streamId: 3, status: 5 },
    { type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] },
    { type: 'ping', id: 42 },
    { type: 'goaway', lastGoodStreamId: 7, status: 0 },
    { type: 'window_update', streamId: 1, delta: 1000 },
  ];
  assert.deepEqual(new FrameParser().push(wire), expected);
  const p = new FrameParser();
  const got = [];
  for (let i = 0; i < wire.length; i++) got.push(...p.push(wire.subarray(i, i + 1)));
  assert.deepEqual(got, expected);
});

test('a frame of another SPDY version is a protocol error', () => {
  const f = encodePing(1);
  f.writeUInt16BE(0x8002, 0);
  assert.throws(() => new FrameParser().push(f), SpdyProtocolError);
});

test('header blocks: names lower-cased, repeated values joined by NUL', () => {
  const block = encodeHeaderBlock({ StreamType: ['error'], port: ['80', '81'] });
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: ['error'], port: ['80', '81'] });
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)), /truncated/);
});

test('compressed header blocks decode in order on one shared context', async () => {
  const c = new HeaderCompressor();
  const d = new HeaderDecompressor();
  const blocks: SpdyHeaders[] = [{ streamtype: ['error'] }, { streamtype: ['stdout'], requestid: ['0'] }, {}];
  const wire = await Promise.all(blocks.map((b) => c.compress(b)));
  assert.equal(wire[0]![0], 0x78, 'a zlib stream');
  for (let i = 0; i < blocks.length; i++) assert.deepEqual(await d.decompress(wire[i]!), blocks[i]);
});
