import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capabilitiesFromMask, containerCapabilities, normalizeCapability } from './capabilities.js';
import { parseGroup, parsePasswd, resolveUser } from './passwd.js';

const passwd = parsePasswd('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\napp:x:1000:1001::/home/app:/bin/sh\nbad line\n');
const groups = parseGroup('root:x:0:\napp:x:1001:\nextra:x:2000:app,other\n');

describe('resolveUser (containerd WithUser/WithUsername/WithAdditionalGIDs)', () => {
  it('defaults to root', () => assert.deepEqual(resolveUser({ passwd, groups }), { uid: 0, gid: 0, additionalGids: [] }));
  it('runAsUser finds the primary gid and the user\'s groups', () => {
    assert.deepEqual(resolveUser({ runAsUser: 1000, passwd, groups, supplementalGroups: [5, 2000] }), { uid: 1000, gid: 1001, additionalGids: [2000, 5] });
  });
  it('an unknown uid runs with gid 0; runAsGroup overrides', () => {
    assert.deepEqual(resolveUser({ runAsUser: 4242, passwd, groups }), { uid: 4242, gid: 0, additionalGids: [] });
    assert.deepEqual(resolveUser({ runAsUser: 1000, runAsGroup: 7, passwd, groups }), { uid: 1000, gid: 7, additionalGids: [2000] });
  });
  it('a user name, and the image config\'s user:group', () => {
    assert.equal(resolveUser({ runAsUsername: 'nobody', passwd, groups }).uid, 65534);
    assert.deepEqual(resolveUser({ imageUser: 'app:extra', passwd, groups }), { uid: 1000, gid: 2000, additionalGids: [] });
    assert.deepEqual(resolveUser({ imageUser: '12:34', passwd, groups }), { uid: 12, gid: 34, additionalGids: [] });
    assert.equal(resolveUser({ runAsUser: 5, imageUser: 'app', passwd, groups }).uid, 5);
  });
  it('an unknown name is an error', () => {
    assert.throws(() => resolveUser({ runAsUsername: 'ghost', passwd, groups }), /unable to find user ghost/);
  });
});

describe('capabilities', () => {
  it('normalizes names', () => {
    assert.equal(normalizeCapability('net_admin'), 'CAP_NET_ADMIN');
    assert.equal(normalizeCapability('CAP_KILL'), 'CAP_KILL');
    assert.equal(normalizeCapability('all'), 'ALL');
  });
  it('reads a bounding-set mask', () => {
    const caps = capabilitiesFromMask('000001fffeffffff');
    assert.equal(caps.length, 40);
    assert.ok(!caps.includes('CAP_SYS_RESOURCE'));
    assert.deepEqual(containerCapabilities({ privileged: true, all: caps }), caps);
  });
  it('drop then add; ALL on either side', () => {
    assert.ok(!containerCapabilities({ drop: ['KILL'] }).includes('CAP_KILL'));
    assert.deepEqual(containerCapabilities({ drop: ['ALL'], add: ['KILL'] }), ['CAP_KILL']);
    assert.equal(containerCapabilities({ add: ['ALL'] }).length, 41);
    assert.ok(containerCapabilities({ add: ['SYS_ADMIN'] }).includes('CAP_SYS_ADMIN'));
    assert.equal(containerCapabilities({ privileged: true, drop: ['ALL'] }).length, 41);
  });
});
