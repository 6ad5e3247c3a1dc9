import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBase64 } from './go-base64.js';

test('valid standard base64 is accepted; line breaks are dropped', () => {
  for (const s of ['', 'aGk=', 'aGVsbG8=', 'aGVsbG8h', 'YQ==', '+/+/']) assert.deepEqual(checkBase64(s), { text: s });
  assert.deepEqual(checkBase64('aGVs\r\nbG8=\n'), { text: 'aGVsbG8=' });
  assert.deepEqual(checkBase64('YR=='), { text: 'YQ==' }, 'non-zero trailing bits are tolerated, as Go (non-strict) does');
});

test('invalid input reports the byte offset Go reports', () => {
  const at = (s: string) => (checkBase64(s) as { error: string }).error;
  assert.equal(at('a'), 'illegal base64 data at input byte 0');
  assert.equal(at('aGk'), 'illegal base64 data at input byte 0');
  assert.equal(at('aGVsbG8'), 'illegal base64 data at input byte 4');
  assert.equal(at('aG-k'), 'illegal base64 data at input byte 2');
  assert.equal(at('=abc'), 'illegal base64 data at input byte 0');
  assert.equal(at('aG=='.concat('x')), 'illegal base64 data at input byte 4');
  assert.equal(at('aG='), 'illegal base64 data at input byte 3');
  assert.equal(at('aG=x'), 'illegal base64 data at input byte 2');
  assert.equal(at('é'), 'illegal base64 data at input byte 0');
  assert.equal(at('aGk=é'), 'illegal base64 data at input byte 4');
  assert.equal(at('YWJj\u00e9'), 'illegal base64 data at input byte 4');
});
