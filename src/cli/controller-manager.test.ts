import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDNSFromFlag, controllerConfigFromFlags, takeLeaderElect } from './controller-manager.js';

test('controller settings flags become the controllers\' config; bad values are refused', () => {
  assert.deepEqual(controllerConfigFromFlags({}), {});
  assert.deepEqual(controllerConfigFromFlags({ 'node-monitor-grace-period': '10s', 'node-monitor-period': '500ms', 'terminated-pod-gc-threshold': '0', 'max-endpoints-per-slice': '250', 'cluster-cidr': '10.44.0.0/16' }), {
    nodeMonitorGracePeriodMs: 10_000, nodeMonitorPeriodMs: 500, terminatedPodGCThreshold: 0, maxEndpointsPerSlice: 250, clusterCIDR: '10.44.0.0/16',
  });
  assert.throws(() => controllerConfigFromFlags({ 'max-endpoints-per-slice': '1001' }), /invalid --max-endpoints-per-slice "1001"/);
  assert.throws(() => controllerConfigFromFlags({ 'max-endpoints-per-slice': '0' }), /must be an integer from 1 to 1000/);
  assert.throws(() => controllerConfigFromFlags({ 'node-monitor-grace-period': 'soon' }), /invalid --node-monitor-grace-period "soon"/);
});

test('--leader-elect takes upstream\'s =true/=false spelling', () => {
  assert.deepEqual(takeLeaderElect(['--kubeconfig', 'k', '--leader-elect=false']), { rest: ['--kubeconfig', 'k'], leaderElect: false });
  assert.deepEqual(takeLeaderElect(['--leader-elect']), { rest: [], leaderElect: true });
  assert.throws(() => takeLeaderElect(['--leader-elect=maybe']), /invalid --leader-elect "maybe"/);
});

test('--cluster-dns gives the kube-dns Service IP: the first of a list; a bad value is refused', () => {
  assert.equal(clusterDNSFromFlag(undefined), undefined);
  assert.equal(clusterDNSFromFlag('10.43.0.10'), '10.43.0.10');
  assert.equal(clusterDNSFromFlag('10.96.0.10, 10.96.0.11'), '10.96.0.10');
  assert.throws(() => clusterDNSFromFlag('dns.local'), /invalid --cluster-dns "dns.local"/);
  assert.throws(() => clusterDNSFromFlag(''), /invalid --cluster-dns/);
});
