// The list executor against real processes: small shell plugins in a temp bin dir that record
// their environment and stdin, so ordering, injection, caching and error parsing are observed as
// a real plugin sees them (no root needed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CniExecutor, pluginInvocationConfig } from './plugin-list.js';
import { CniError, type NetConfList } from './types.js';

const root = mkdtempSync(path.join(tmpdir(), 'capstan-cni-exec-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = path.join(root, 'bin');
const extraBin = path.join(root, 'bin2');
mkdirSync(bin);
mkdirSync(extraBin);

// Each call appends "<plugin> <command>" to calls.log and keeps its stdin and CNI_* env as call-<n>.*.
function writePlugin(dir: string, name: string, body: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh
d=${JSON.stringify(root)}
n=$(cat "$d/calls.log" 2>/dev/null | wc -l | tr -d ' ')
cat > "$d/call-$n.json"
env | grep '^CNI_' | sort > "$d/call-$n.env"
echo "${name} $CNI_COMMAND" >> "$d/calls.log"
if [ "$CNI_COMMAND" = VERSION ]; then echo '{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}'; exit 0; fi
${body}
`);
  chmodSync(file, 0o755);
}
writePlugin(bin, 'fake-ip', `[ "$CNI_COMMAND" = ADD ] && echo '{"cniVersion":"1.0.0","interfaces":[{"name":"'"$CNI_IFNAME"'","sandbox":"'"$CNI_NETNS"'"}],"ips":[{"address":"10.9.0.5/24","gateway":"10.9.0.1","interface":0}]}'
exit 0`);
// A chained plugin prints a result of its own, which the list returns.
writePlugin(extraBin, 'fake-chain', `[ "$CNI_COMMAND" = ADD ] && echo '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.9.0.5/24","gateway":"10.9.0.1","interface":0}],"chained":true}'
exit 0`);
writePlugin(bin, 'fake-fail', `echo '{"cniVersion":"1.0.0","code":7,"msg":"invalid bridge name","details":"name too long"}'; exit 1`);
writePlugin(bin, 'fake-crash', `echo 'panic: something broke' >&2; exit 2`);

function calls(): string[] {
  return existsSync(path.join(root, 'calls.log')) ? readFileSync(path.join(root, 'calls.log'), 'utf8').trim().split('\n') : [];
}
function call(n: number): { config: Record<string, unknown>; env: Record<string, string> } {
  const env = Object.fromEntries(readFileSync(path.join(root, `call-${n}.env`), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { config: JSON.parse(readFileSync(path.join(root, `call-${n}.json`), 'utf8')), env };
}
function reset(): void {
  for (const f of ['calls.log']) rmSync(path.join(root, f), { force: true });
}

const list: NetConfList = {
  cniVersion: '1.0.0',
  name: 'testnet',
  plugins: [{ type: 'fake-ip', someKey: 1 }, { type: 'fake-chain', capabilities: { portMappings: true, bandwidth: false } }],
};
const rt = {
  containerId: 'sb1', netns: '/run/netns/x', ifName: 'eth0',
  args: [['IgnoreUnknown', '1'], ['K8S_POD_NAME', 'p']] as [string, string][],
  capabilityArgs: { portMappings: [{ hostPort: 80, containerPort: 8080, protocol: 'tcp' }], bandwidth: { ingressRate: 1 } },
};

test('pluginInvocationConfig injects name, cniVersion, prevResult and the declared capabilities only', () => {
  const prev = { cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }] };
  assert.deepEqual(pluginInvocationConfig(list, list.plugins[1]!, prev, rt), {
    type: 'fake-chain', name: 'testnet', cniVersion: '1.0.0', prevResult: prev,
    runtimeConfig: { portMappings: [{ hostPort: 80, containerPort: 8080, protocol: 'tcp' }] },
  });
  // A plugin's own name/cniVersion/prevResult are replaced; no runtimeConfig without capabilities.
  assert.deepEqual(pluginInvocationConfig(list, { type: 'x', name: 'mine', cniVersion: '0.3.1', prevResult: {}, runtimeConfig: { a: 1 } }, undefined, rt), { type: 'x', name: 'testnet', cniVersion: '1.0.0' });
});

test('ADD runs the plugins in order over all bin dirs, chaining results, and caches the final one in libcni\'s format', async () => {
  reset();
  const cacheDir = path.join(root, 'cache');
  const ex = new CniExecutor({ binDirs: [bin, extraBin], cacheDir });
  const result = await ex.add(list, rt);
  assert.deepEqual(result, { cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }], ips: [{ address: '10.9.0.5/24', gateway: '10.9.0.1', interface: 0 }], chained: true });
  assert.deepEqual(calls(), ['fake-ip ADD', 'fake-chain ADD']);
  const first = call(0);
  assert.deepEqual(first.env, {
    CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAME=p', CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'sb1', CNI_IFNAME: 'eth0',
    CNI_NETNS: '/run/netns/x', CNI_PATH: `${bin}:${extraBin}`,
  });
  assert.deepEqual(first.config, { type: 'fake-ip', someKey: 1, name: 'testnet', cniVersion: '1.0.0' });
  const second = call(1).config;
  assert.deepEqual(second.prevResult, { cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/run/netns/x' }], ips: [{ address: '10.9.0.5/24', gateway: '10.9.0.1', interface: 0 }] });
  assert.deepEqual(second.runtimeConfig, { portMappings: rt.capabilityArgs.portMappings });
  assert.equal('capabilities' in second, false);

  const cached = JSON.parse(readFileSync(path.join(cacheDir, 'results', 'testnet-sb1-eth0'), 'utf8'));
  assert.equal(cached.kind, 'cniCacheV1');
  assert.equal(cached.containerId, 'sb1');
  assert.equal(cached.ifName, 'eth0');
  assert.equal(cached.networkName, 'testnet');
  assert.equal(cached.netns, '/run/netns/x');
  assert.deepEqual(cached.cniArgs, rt.args);
  assert.deepEqual(cached.capabilityArgs, rt.capabilityArgs);
  assert.deepEqual(cached.result, result);
  assert.deepEqual(JSON.parse(Buffer.from(cached.config, 'base64').toString()), list);
});

test('CHECK runs each plugin with the cached result; DEL from a new executor runs them in reverse with it, then forgets it; DEL again still succeeds', async () => {
  reset();
  const cacheDir = path.join(root, 'cache');
  const cachedResult = JSON.parse(readFileSync(path.join(cacheDir, 'results', 'testnet-sb1-eth0'), 'utf8')).result;
  const ex = new CniExecutor({ binDirs: [bin, extraBin], cacheDir });
  await ex.check(list, rt);
  assert.deepEqual(calls(), ['fake-ip CHECK', 'fake-chain CHECK']);
  assert.deepEqual(call(0).config.prevResult, cachedResult);

  reset();
  // The configuration changed since ADD (a plugin added): DEL still undoes what ADD ran, with
  // the cached CNI_ARGS and capability arguments.
  const changed: NetConfList = { ...list, plugins: [...list.plugins, { type: 'fake-ip' }] };
  await new CniExecutor({ binDirs: [bin, extraBin], cacheDir }).del(changed, { containerId: 'sb1', netns: '', ifName: 'eth0' });
  assert.deepEqual(calls(), ['fake-chain DEL', 'fake-ip DEL']);
  const del0 = call(0);
  assert.deepEqual(del0.config.prevResult, cachedResult);
  assert.deepEqual(del0.config.runtimeConfig, { portMappings: rt.capabilityArgs.portMappings });
  assert.equal(del0.env.CNI_ARGS, 'IgnoreUnknown=1;K8S_POD_NAME=p');
  assert.equal(del0.env.CNI_COMMAND, 'DEL');
  assert.equal(existsSync(path.join(cacheDir, 'results', 'testnet-sb1-eth0')), false);

  reset();
  await ex.del(list, rt);
  assert.deepEqual(calls(), ['fake-chain DEL', 'fake-ip DEL']);
  assert.equal('prevResult' in call(0).config, false);
  await assert.rejects(ex.check(list, rt), /no cached result/);
});

test('a plugin\'s error object surfaces with its code and msg; a crash without one keeps its stderr; nothing is cached', async () => {
  const cacheDir = path.join(root, 'cache-fail');
  const ex = new CniExecutor({ binDirs: [bin], cacheDir });
  const failing: NetConfList = { cniVersion: '1.0.0', name: 'failnet', plugins: [{ type: 'fake-ip' }, { type: 'fake-fail' }] };
  await assert.rejects(ex.add(failing, rt), (e: unknown) => {
    assert.ok(e instanceof CniError);
    assert.equal(e.code, 7);
    assert.equal(e.msg, 'invalid bridge name');
    assert.equal(e.details, 'name too long');
    assert.equal(e.command, 'ADD');
    assert.equal(e.message, 'plugin type="fake-fail" name="failnet" failed (add): invalid bridge name; name too long (code 7)');
    return true;
  });
  assert.equal(existsSync(path.join(cacheDir, 'results', 'failnet-sb1-eth0')), false);
  await assert.rejects(ex.add({ ...failing, plugins: [{ type: 'fake-crash' }] }, rt), (e: unknown) => e instanceof CniError && e.code === 0 && /exit status 2.*panic: something broke/.test(e.message));
  await assert.rejects(ex.add({ ...failing, plugins: [{ type: 'no-such-plugin' }] }, rt), /failed to find plugin "no-such-plugin"/);
  await assert.rejects(ex.add({ ...failing, plugins: [{ type: '../fake-ip' }] }, rt), /invalid plugin type/);
});

test('VERSION reports the supported versions; validate rejects a list version a plugin lacks', async () => {
  const ex = new CniExecutor({ binDirs: [bin, extraBin], cacheDir: path.join(root, 'cache-v') });
  assert.deepEqual(await ex.version('fake-ip'), { cniVersion: '1.0.0', supportedVersions: ['0.4.0', '1.0.0'] });
  await ex.validate(list);
  await assert.rejects(ex.validate({ ...list, cniVersion: '0.3.1' }), (e: unknown) => e instanceof CniError && e.code === 1);
});

test('--cni-bin-dir is a comma-separated list; empty means /usr/lib/cni', async () => {
  const { parseCniBinDirs } = await import('./exec-plugin.js');
  assert.deepEqual(parseCniBinDirs('/opt/cni/bin, /usr/lib/cni'), ['/opt/cni/bin', '/usr/lib/cni']);
  assert.deepEqual(parseCniBinDirs(''), ['/usr/lib/cni']);
  assert.deepEqual(parseCniBinDirs(undefined), ['/usr/lib/cni']);
});

test('plugins get the system dirs on PATH even from a minimal environment', async () => {
  const { pluginEnvironment } = await import('./exec-plugin.js');
  assert.equal(pluginEnvironment('DEL', undefined, ['/b'], { PATH: '/opt/x' }).PATH, '/opt/x:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  assert.equal(pluginEnvironment('DEL', undefined, ['/b'], { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }).PATH, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
});

test('a pre-0.4.0 list gets no cached prevResult on DEL and no CHECK; bad ids are refused before any plugin runs', async () => {
  reset();
  const cacheDir = path.join(root, 'cache-old');
  const ex = new CniExecutor({ binDirs: [bin, extraBin], cacheDir });
  const old: NetConfList = { cniVersion: '0.3.1', name: 'oldnet', plugins: [{ type: 'fake-ip' }] };
  await ex.add(old, rt);
  await ex.del(old, rt);
  assert.deepEqual(calls(), ['fake-ip ADD', 'fake-ip DEL']);
  assert.equal('prevResult' in call(1).config, false);
  assert.equal(existsSync(path.join(cacheDir, 'results', 'oldnet-sb1-eth0')), false);
  await assert.rejects(ex.check(old, rt), /does not support the CHECK command/);
  reset();
  await assert.rejects(ex.add(list, { ...rt, containerId: '../escape' }), (e: unknown) => e instanceof CniError && e.code === 4);
  await assert.rejects(ex.del(list, { ...rt, ifName: 'eth0:1' }), (e: unknown) => e instanceof CniError && e.code === 4);
  assert.deepEqual(calls(), []);
});
