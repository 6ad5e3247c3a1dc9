// The pure parts of CniNetwork; the network itself is exercised as root in test/network/.
import { test, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { CniNetwork, podCniArgs, podIPsFromResult, portMappingsCapability } from './cni-network.js';

test('CNI_ARGS are the ones the kubelet passes for a pod', () => {
  assert.deepEqual(podCniArgs({ namespace: 'default', name: 'web', sandboxId: 'sb1', uid: 'u-1' }), [
    ['IgnoreUnknown', '1'], ['K8S_POD_NAMESPACE', 'default'], ['K8S_POD_NAME', 'web'], ['K8S_POD_INFRA_CONTAINER_ID', 'sb1'], ['K8S_POD_UID', 'u-1'],
  ]);
});

test('port mappings become the portMappings capability: lower-case protocol, hostIP only when set, no hostPort 0', () => {
  assert.deepEqual(portMappingsCapability([
    { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
    { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1' },
    { protocol: 'TCP', containerPort: 81, hostPort: 0 },
  ]), [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '127.0.0.1' }]);
  assert.deepEqual(portMappingsCapability(undefined), []);
});

test('pod IPs: addresses on eth0 (not the host-side bridge), without prefix, IPv4 first', () => {
  assert.deepEqual(podIPsFromResult({
    cniVersion: '1.0.0',
    interfaces: [{ name: 'capstan0' }, { name: 'veth1' }, { name: 'eth0', sandbox: '/n' }],
    ips: [{ address: 'fd00::5/64', interface: 2 }, { address: '10.42.0.1/24', interface: 0 }, { address: '10.42.0.5/24', interface: 2, gateway: '10.42.0.1' }],
  }), ['10.42.0.5', 'fd00::5']);
  assert.deepEqual(podIPsFromResult({ cniVersion: '1.0.0', ips: [{ address: '10.1.0.3/16' }] }), ['10.1.0.3']);
});

test('paths and the built-in list follow the options; a comma-separated podCIDR is split', async () => {
  const network = new CniNetwork({ dataDir: '/var/lib/capstan', podCIDR: '10.42.7.0/24,fd00:7::/64', bridgeName: 'cpt0', networkName: 'cpt' });
  assert.equal(network.cniDir, '/var/lib/capstan/agent/cni');
  assert.equal(network.ipamDataDir, '/var/lib/capstan/agent/cni/networks');
  assert.deepEqual(network.podCIDRs, ['10.42.7.0/24', 'fd00:7::/64']);
  const list = await network.podNetworkList();
  assert.equal(list.name, 'cpt');
  assert.equal(list.plugins[0]!.bridge, 'cpt0');
  assert.deepEqual(new CniNetwork({ dataDir: '/d' }).podCIDRs, ['10.42.0.0/24']);
  assert.deepEqual(network.executor.binDirs, ['/usr/lib/cni']);
});

test('status is not ready, as upstream\'s NetworkPluginNotReady, when a plugin is missing or the conf dir has no network', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capstan-cni-status-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const noPlugins = await new CniNetwork({ dataDir: dir, binDirs: [dir] }).status();
  assert.equal(noPlugins.ready, false);
  assert.equal(noPlugins.reason, 'NetworkPluginNotReady');
  assert.match(noPlugins.message!, /^Network plugin returns error: cni plugin not initialized: .*failed to find plugin "loopback"/);
  const emptyConfDir = await new CniNetwork({ dataDir: dir, confDir: dir }).status();
  assert.match(emptyConfDir.message!, /no valid networks found in/);
});
