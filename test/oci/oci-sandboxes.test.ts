// OciRuntime's sandboxes against real conmon and runc/crun: shared and host namespaces, the pod
// network port, concurrency, and killAll leaving nothing behind.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OciRuntime, killAll } from '../../src/runtime/index.js';
import { poll } from '../support/poll.js';
import { DummyNetwork } from './dummy-network.js';
import { busyboxImages } from './busybox-image.js';
import { ctr, ociSuite, pod } from './oci-suite.js';

ociSuite('OciRuntime sandboxes', (oci, runtime) => {
  it('shares net, IPC and UTS between a pod\'s containers; the hostname is the pod\'s', async () => {
    const sb = await oci.sandbox('sharing');
    const server = await oci.create(sb, ctr('server', ['sh', '-c', 'while true; do echo pong | nc -l -p 7000; done']));
    await oci.rt.startContainer(server);
    const { log } = await poll('client reaches the server', async () => oci.runToExit(sb, ctr(`client${Math.random().toString(36).slice(2, 6)}`,
      ['sh', '-c', 'hostname; cat /etc/hostname; echo ping | nc 127.0.0.1 7000; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net; cat /etc/resolv.conf'])), (r) => r.log.includes('pong'), 30_000, 100);
    const out = log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
    assert.equal(out[0], 'sharing');
    assert.equal(out[1], 'sharing');
    assert.ok(out.includes('pong'));
    const serverNs = (await oci.rt.execSync(server, ['sh', '-c', 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/net'], 10_000)).stdout.toString().trim().split('\n');
    assert.equal(serverNs.length, 2);
    for (const ns of serverNs) assert.ok(out.includes(ns), `the client shares ${ns}`);
          assert.notEqual(serverNs[0], await readlink('/proc/self/ns/ipc'));
    assert.ok(out.includes('nameserver 10.43.0.10'));
    const st = await oci.rt.podSandboxStatus(sb);
    assert.equal(st?.state, 'ready');
    assert.ok(st?.netnsPath?.startsWith(oci.runDir));
    await oci.rt.stopPodSandbox(sb);
    assert.equal((await oci.rt.podSandboxStatus(sb))?.state, 'notready');
    assert.equal((await oci.rt.containerStatus(server))?.state, 'exited');
    await oci.rt.removePodSandbox(sb);
  });

  it('shares one PID namespace with shareProcessNamespace', async () => {
    const sb = await oci.sandbox('pidshare', { namespaceOptions: { pid: 'pod' } });
    const a = await oci.create(sb, ctr('a', ['sleep', '3600']));
    await oci.rt.startContainer(a);
    const b = await oci.create(sb, ctr('b', ['sleep', '3600']));
    await oci.rt.startContainer(b);
    const ps = await oci.rt.execSync(b, ['ps'], 10_000);
    assert.equal(ps.stdout.toString().split('\n').filter((l) => l.includes('sleep 3600')).length, 2, ps.stdout.toString());
    assert.match(ps.stdout.toString(), /^\s*1 .*sleep/m, 'the holder is PID 1');
    await oci.rt.removePodSandbox(sb);
  });

  it('attaches the pod network through the port: the pod IP in status and /etc/hosts', async () => {
    const network = new DummyNetwork();
    const netRt = new OciRuntime({ root: oci.root, runDir: oci.runDir, runtime, images: busyboxImages(oci.layer), network });
    const sb = await netRt.runPodSandbox(pod('netted', { logDirectory: path.join(oci.logs, 'netted'), portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }] }));
    assert.equal(network.setUps.length, 1);
    assert.equal(network.setUps[0]!.sandboxId, sb);
    assert.deepEqual(network.setUps[0]!.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }]);
    const st = await netRt.podSandboxStatus(sb);
    const ip = st!.ip!;
    assert.match(ip, /^10\.99\.0\.\d+$/);
    const id = await netRt.createContainer(sb, ctr('c', ['sh', '-c', 'ip -4 addr show eth0; cat /etc/hosts']));
    oci.created.push(id.split('://')[1]!);
    await netRt.startContainer(id);
    const done = await poll('exit', () => netRt.containerStatus(id), (s) => s?.state === 'exited', 30_000, 20);
    const log = await readFile(done!.logPath!, 'utf8');
    assert.ok(log.includes(`inet ${ip}/24`), log);
    assert.ok(log.includes(`${ip}\tnetted`), log);
    await netRt.stopPodSandbox(sb);
    assert.equal(network.tearDowns.length, 1);
    assert.equal(network.tearDowns[0]!.netnsPath, st!.netnsPath);
    await netRt.removePodSandbox(sb);
    assert.equal(network.tearDowns.length, 1, 'remove after stop does not detach twice');
  });

  it('host network and IPC: the host\'s namespaces, hostname and /dev/shm', async () => {
    const sb = await oci.sandbox('hostnet', { namespaceOptions: { network: 'node', ipc: 'node' } });
    assert.equal((await oci.rt.podSandboxStatus(sb))?.netnsPath, undefined);
    const marker = `capstan-test-${process.pid}-${runtime}`;
    await writeFile(`/dev/shm/${marker}`, '');
    try {
      const { log } = await oci.runToExit(sb, ctr('h', ['sh', '-c', `hostname; readlink /proc/self/ns/net; readlink /proc/self/ns/ipc; ls /dev/shm/${marker}`]));
      const out = log.trimEnd().split('\n').map((l) => l.split(' ').slice(3).join(' '));
      assert.equal(out[0], os.hostname());
              assert.equal(out[1], await readlink('/proc/self/ns/net'));
      assert.equal(out[2], await readlink('/proc/self/ns/ipc'));
      assert.equal(out[3], `/dev/shm/${marker}`);
    } finally {
      await rm(`/dev/shm/${marker}`, { force: true });
    }
    await oci.rt.removePodSandbox(sb);
  });

  it('runs different pods concurrently', async () => {
    const names = ['par-a', 'par-b', 'par-c', 'par-d'];
    const results = await Promise.all(names.map(async (name) => {
      const sb = await oci.sandbox(name);
      const r = await oci.runToExit(sb, ctr('c', ['hostname']));
      await oci.rt.removePodSandbox(sb);
      return r;
    }));
    assert.deepEqual(results.map((r) => r.status.exitCode), [0, 0, 0, 0]);
    assert.deepEqual(results.map((r) => r.log.trimEnd().split(' ').slice(3).join(' ')), names);
  });

  it('killAll ends running containers and sandboxes, leaving no mounts, cgroups or processes', async () => {
    const sb = await oci.sandbox('leftover', { namespaceOptions: { pid: 'pod' } });
    const id = await oci.create(sb, ctr('main', ['sleep', '3600']));
    await oci.rt.startContainer(id);
    const report = await killAll({ root: oci.root, runDir: oci.runDir });
    assert.deepEqual(report.errors, []);
    assert.ok(report.containers >= 1 && report.sandboxes >= 1);
    await oci.assertNothingLeft();
  });
});
