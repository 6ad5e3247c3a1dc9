import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateInvocation, versionAtLeast } from './validate.js';
import { CniError } from './types.js';

test('ids that could escape the cache dir or that the kernel rejects are refused with libcni\'s codes', () => {
  validateInvocation('ADD', 'capstan', 'a1b2c3_d.e-f', 'eth0');
  const code = (f: () => void) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof CniError);
      return [e.code, e.msg];
    }
    return undefined;
  };
  assert.deepEqual(code(() => validateInvocation('ADD', 'capstan', '', 'eth0')), [3, 'missing containerID']);
  assert.deepEqual(code(() => validateInvocation('ADD', 'capstan', '../../etc', 'eth0')), [4, 'invalid characters in containerID']);
  assert.deepEqual(code(() => validateInvocation('ADD', '', 'c1', 'eth0')), [7, 'missing network name:']);
  assert.deepEqual(code(() => validateInvocation('ADD', 'my net', 'c1', 'eth0')), [7, 'invalid characters found in network name']);
  assert.deepEqual(code(() => validateInvocation('ADD', 'n', 'c1', '')), [4, 'interface name is empty']);
  assert.deepEqual(code(() => validateInvocation('ADD', 'n', 'c1', 'a-very-long-name0')), [4, 'interface name is too long']);
  assert.deepEqual(code(() => validateInvocation('ADD', 'n', 'c1', '..')), [4, 'interface name is . or ..']);
  assert.deepEqual(code(() => validateInvocation('ADD', 'n', 'c1', 'eth:0')), [4, 'interface name contains / or : or whitespace characters']);
});

test('versionAtLeast compares spec versions numerically', () => {
  assert.equal(versionAtLeast('1.0.0', '0.4.0'), true);
  assert.equal(versionAtLeast('0.4.0', '0.4.0'), true);
  assert.equal(versionAtLeast('0.3.1', '0.4.0'), false);
  assert.equal(versionAtLeast('0.10.0', '0.4.0'), true);
  assert.equal(versionAtLeast('garbage', '0.4.0'), false);
});
