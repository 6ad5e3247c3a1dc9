import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSignal, terminationReason } from './container-files.js';
import { renderHostsFile, renderResolvConf, sandboxHostname } from './sandbox-files.js';
import { parseMemoryStat, workingSet } from './stats.js';

describe('sandbox files', () => {
  it('resolv.conf as the kubelet writes it', () => {
    assert.equal(renderResolvConf({ servers: ['10.43.0.10'], searches: ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] }),
      'nameserver 10.43.0.10\nsearch ns.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
    assert.equal(renderResolvConf({ servers: ['1.1.1.1'], searches: [], options: [] }), 'nameserver 1.1.1.1\n');
  });
  it('the managed hosts file ends with the pod IP and hostname', () => {
    const hosts = renderHostsFile(['10.42.0.5'], 'web-0');
    assert.match(hosts, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.ok(hosts.endsWith('10.42.0.5\tweb-0\n'));
  });
  it('hostnames fit the kernel limit', () => {
    assert.equal(sandboxHostname('pod', 'custom'), 'custom');
    assert.equal(sandboxHostname('a'.repeat(70)).length, 63);
  });
});

describe('exits and signals', () => {
  it('reasons', () => {
    assert.equal(terminationReason(0, false), 'Completed');
    assert.equal(terminationReason(1, false), 'Error');
    assert.equal(terminationReason(137, true), 'OOMKilled');
  });
  it('StopSignal forms', () => {
    assert.equal(parseSignal(undefined), 'SIGTERM');
    assert.equal(parseSignal('QUIT'), 'SIGQUIT');
    assert.equal(parseSignal('SIGINT'), 'SIGINT');
    assert.equal(parseSignal('9'), 9);
  });
});

describe('stats', () => {
  it('working set = usage − total_inactive_file, never negative', () => {
    const stat = parseMemoryStat('cache 10\nrss 5\ntotal_inactive_file 300\ntotal_rss 7\n');
    assert.equal(stat.total_rss, 7);
    assert.equal(workingSet(1000, stat), 700);
    assert.equal(workingSet(100, stat), 0);
  });
});
