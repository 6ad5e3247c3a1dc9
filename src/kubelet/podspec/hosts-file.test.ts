import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFileFor, hostNetworkHostsFile, podHostnameAndDomain, sandboxHostname } from './hosts-file.js';
import { testPod } from './test-fixtures.js';

const LOCAL = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

test('managed hosts file: pod name, FQDN with a subdomain, hostAliases', () => {
  assert.equal(hostsFileFor(testPod(), '10.42.0.7'), `# Kubernetes-managed hosts file.\n${LOCAL}10.42.0.7\tweb\n`);
  const pod = testPod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.4', hostnames: ['baz'] }] });
  assert.equal(hostsFileFor(pod, ['10.42.0.7', 'fd42::7']),
    `# Kubernetes-managed hosts file.\n${LOCAL}10.42.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0\nfd42::7\tdb-0.db.shop.svc.cluster.local\tdb-0\n` +
    '\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n10.1.2.4\tbaz\n');
});

test('host network hosts file keeps the node’s entries', () => {
  assert.equal(hostNetworkHostsFile(testPod({ hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] }), '127.0.0.1 localhost\n'),
    '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n');
});

test('hostname: spec.hostname, truncation to 63, FQDN with setHostnameAsFQDN', () => {
  assert.deepEqual(podHostnameAndDomain(testPod(), 'cluster.local'), { hostname: 'web', domain: '' });
  const long = `${'a'.repeat(61)}-b`;
  assert.equal(podHostnameAndDomain(testPod({}, { name: `${'a'.repeat(62)}-bcd` }), 'cluster.local').hostname, 'a'.repeat(62));
  assert.equal(podHostnameAndDomain(testPod({}, { name: long }), 'cluster.local').hostname, long);
  assert.throws(() => podHostnameAndDomain(testPod({ hostname: 'Bad_Name' }), 'cluster.local'), /pod Hostname "Bad_Name" is not a valid DNS label/);
  assert.equal(sandboxHostname(testPod({ subdomain: 'sub' }), 'cluster.local'), 'web');
  assert.equal(sandboxHostname(testPod({ subdomain: 'sub', setHostnameAsFQDN: true }), 'cluster.local'), 'web.sub.shop.svc.cluster.local');
  assert.throws(() => sandboxHostname(testPod({ hostname: 'h'.repeat(50), subdomain: 'sub', setHostnameAsFQDN: true }), 'cluster.local'), /is too long \(64 characters is the max/);
});
