import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { Channel, decodeChannelMessage, encodeChannelMessage, wsClientSide } from './ws-channels.js';

/** The part of a `ws` WebSocket that the client side uses. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: { data: Buffer | string; binary: boolean }[] = [];
  send(data: Buffer | string, o: { binary: boolean }) { this.sent.push({ data, binary: o.binary }); }
  close() { this.readyState = 3; this.emit('close'); }
}

const resizeMessage = (w: number, h: number) => Buffer.concat([Buffer.from([Channel.resize]), Buffer.from(JSON.stringify({ Width: w, Height: h }))]);

test('a size sent before the session registers its listener reaches the listener (latest only)', () => {
  const ws = new FakeSocket();
  const side = wsClientSide(ws as unknown as WebSocket, 'v5.channel.k8s.io', { stdin: true, stdout: true, stderr: false, tty: true });
  ws.emit('message', resizeMessage(80, 24), true);
  ws.emit('message', resizeMessage(100, 30), true);
  const seen: [number, number][] = [];
  side.onResize((w, h) => seen.push([w, h]));
  assert.deepEqual(seen, [[100, 30]]);
  ws.emit('message', resizeMessage(120, 40), true);
  assert.deepEqual(seen, [[100, 30], [120, 40]]);
});

test('the ready message goes on stdout; stdin data and the v5 close signal reach stdin', async () => {
  const ws = new FakeSocket();
  const side = wsClientSide(ws as unknown as WebSocket, 'v5.channel.k8s.io', { stdin: true, stdout: true, stderr: true, tty: false });
  assert.deepEqual(ws.sent[0], { data: Buffer.from([Channel.stdout]), binary: true });
  const chunks: Buffer[] = [];
  side.stdin!.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => side.stdin!.once('end', r));
  ws.emit('message', Buffer.from([Channel.stdin, 0x68, 0x69]), true);
  ws.emit('message', Buffer.from([255, Channel.stdin]), true);
  await ended;
  assert.equal(Buffer.concat(chunks).toString(), 'hi');
});

test('base64 protocols encode the channel as a digit', () => {
  const m = encodeChannelMessage('v4.base64.channel.k8s.io', Channel.stdout, Buffer.from('ok'));
  assert.deepEqual(m, { data: '1b2s=', binary: false });
  assert.deepEqual(decodeChannelMessage('v4.base64.channel.k8s.io', Buffer.from('0aGk='), false), { channel: 0, data: Buffer.from('hi') });
});
