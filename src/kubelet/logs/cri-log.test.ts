import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCriLine, formatRfc3339Nano, LineSplitter, parseCriLine } from './cri-log.js';
import { parseLogOptions } from './log-options.js';
import { rotatedFilesOf, rotationStamp } from './log-files.js';

test('parses full and partial CRI lines, keeping content spaces', () => {
  const e = parseCriLine(Buffer.from('2016-10-06T00:17:09.669794202Z stdout F hello  world'))!;
  assert.equal(e.stream, 'stdout');
  assert.equal(e.partial, false);
  assert.equal(e.content.toString(), 'hello  world');
  assert.equal(e.time, Date.parse('2016-10-06T00:17:09.669Z'));
  const p = parseCriLine(Buffer.from('2016-10-06T00:17:10.113242941Z stderr P part'))!;
  assert.equal(p.partial, true);
  assert.equal(p.stream, 'stderr');
  assert.equal(parseCriLine(Buffer.from('2016-10-06T00:17:10Z stdout F'))!.content.length, 0);
});

test('refuses lines that are not CRI-formatted', () => {
  for (const l of ['', 'garbage', 'notatime stdout F x', '2016-10-06T00:17:10Z stdin F x', '2016-10-06T00:17:10Z stdout X x']) {
    assert.equal(parseCriLine(Buffer.from(l)), undefined, l);
  }
});

test('formats lines a reader parses back, with Go RFC3339Nano timestamps', () => {
  const line = formatCriLine(new Date('2024-01-02T03:04:05.120Z'), 'stderr', 'x y');
  assert.equal(line.toString(), '2024-01-02T03:04:05.12Z stderr F x y\n');
  assert.equal(formatRfc3339Nano('2016-10-06T00:17:09.669794200Z'), '2016-10-06T00:17:09.6697942Z');
  assert.equal(formatRfc3339Nano('2016-10-06T00:17:09.000000000Z'), '2016-10-06T00:17:09Z');
});

test('splits lines across chunks', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(Buffer.from('a\nb')).map(String), ['a']);
  assert.deepEqual(s.push(Buffer.from('c\n\nd')).map(String), ['bc', '']);
  assert.equal(s.flush()!.toString(), 'd');
});

test('log options validate as PodLogOptions', () => {
  const now = Date.parse('2024-01-01T00:01:00Z');
  const o = parseLogOptions(new URLSearchParams('follow=true&tailLines=3&sinceSeconds=60&timestamps=1&limitBytes=10'), now);
  assert.deepEqual(o, { follow: true, previous: undefined, timestamps: true, tailLines: 3, limitBytes: 10, sinceMs: Date.parse('2024-01-01T00:00:00Z') });
  assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=-1'), now), /tailLines/);
  assert.throws(() => parseLogOptions(new URLSearchParams('limitBytes=0'), now), /limitBytes/);
  assert.throws(() => parseLogOptions(new URLSearchParams('sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z'), now), /at most one/);
  assert.equal(parseLogOptions(new URLSearchParams('sinceTime=2024-01-01T00:00:30Z'), now).sinceMs, Date.parse('2024-01-01T00:00:30Z'));
});

test('rotated files are recognised and ordered oldest first', () => {
  assert.equal(rotationStamp(new Date('2024-03-04T05:06:07Z')), '20240304-050607');
  const names = ['0.log', '0.log.20240101-000002', '0.log.20240101-000001.gz', '0.log.20240101-000003.gz.tmp', '1.log', '0.logx'];
  assert.deepEqual(rotatedFilesOf('0.log', names, '/d').map((f) => [f.path, f.compressed]), [
    ['/d/0.log.20240101-000001.gz', true], ['/d/0.log.20240101-000002', false],
  ]);
});
