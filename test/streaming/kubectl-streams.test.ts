// The real kubectl 1.27 (SPDY) and 1.33 (WebSocket) against a real API server proxying to the
// kubelet server, backed by local processes and CRI log files: exec (exit codes, stdin, TTY and
// resize), attach, logs (follow, tail, since, timestamps, limit-bytes, previous, -c,
// --all-containers), port-forward and cp.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerLogManager, formatCriLine } from '../../src/kubelet/index.js';
import { kubectl, kubectlAvailable, kubectlPath, KUBECTL_VERSIONS, type Kubectl } from '../support/kubectl.js';
import { ApiClient, credentialsFrom } from '../support/http.js';
import { poll } from '../support/poll.js';
import { POD, startStreamingFixture, type StreamingFixture } from './fixture.js';

/** A kubectl left running (follow, attach, port-forward); the test ends it. */
function background(version: string, kubeconfig: string, args: string[]): { child: ChildProcess; out: () => string; err: () => string; stop(): Promise<void> } {
  const child = spawn(kubectlPath(version), ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child, out: () => out, err: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const tmux = (socket: string, ...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

for (const version of KUBECTL_VERSIONS) {
  describe(`kubectl ${version} streams`, { skip: !kubectlAvailable(version) && `kubectl ${version} not installed` }, () => {
    let f: StreamingFixture;
    let k: Kubectl;
    before(async () => {
      f = await startStreamingFixture();
      k = kubectl(version, f.server.kubeconfig, join(f.server.dataDir, 'kubectl-cache'));
      // The previous run of `app` (restart 0), then the current one started by the backend.
      const app = f.backend.startContainer(f.pod, 'app', ['sh', '-c', 'echo started; while read l; do echo "app got $l"; done'], 1);
      writeFileSync(app.previousLogPath!, Buffer.concat([
        formatCriLine(new Date('2024-01-01T00:00:00Z'), 'stdout', 'previous run'),
        formatCriLine(new Date('2024-01-01T00:00:01Z'), 'stderr', 'previous crash'),
      ]));
      f.backend.startContainer(f.pod, 'side', ['sh', '-c', 'echo side-out; echo side-err >&2; exec sleep 1000']);
      await poll('app to start', async () => readFileSync(app.logPath, 'utf8'), (t) => t.includes('started'));
    });
    after(async () => f?.stop());

    test('exec prints output and returns the exit code', async () => {
      const out = await k.ok(['exec', POD, '-c', 'app', '--', 'sh', '-c', 'echo hello; echo oops >&2']);
      assert.equal(out, 'hello\n');
      const r = await k(['exec', '-v=7', POD, '-c', 'app', '--', 'sh', '-c', 'echo bye; exit 3']);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'bye\n');
      // 1.27 speaks SPDY; 1.33 WebSocket v5 (no fallback).
      if (version === '1.33') assert.match(r.stderr, /The subprotocol is v5\.channel\.k8s\.io/);
      else assert.match(r.stderr, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
      if (version === '1.33') {
        // The newer kubectl told to use SPDY gets the same answer.
        const spdy = await k(['exec', POD, '-c', 'app', '--', 'sh', '-c', 'echo spdy; exit 5'], { env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
        assert.equal(spdy.code, 5, spdy.stderr);
        assert.equal(spdy.stdout, 'spdy\n');
      }
    });

    test('exec -i passes stdin', async () => {
      const out = await k.ok(['exec', '-i', POD, '-c', 'app', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'shout\n' });
      assert.equal(out, 'SHOUT\n');
    });

    test('exec -it runs under a terminal that follows resizes', async () => {
      const socket = `capstan-streams-${process.pid}-${version}`;
      try {
        const cmd = `${kubectlPath(version)} --kubeconfig ${f.server.kubeconfig} exec -it ${POD} -c app -- sh -c 'echo ready; while read a; do [ "$a" = q ] && break; stty size; done; echo "tty:$(tty | cut -c1-8) exit"; exit 4'; echo "kubectl-exit:$?"; sleep 600`;
        tmux(socket, 'new-session', '-d', '-x', '100', '-y', '30', cmd);
        const pane = () => tmux(socket, 'capture-pane', '-p', '-J');
        // Each line the remote shell reads makes it print its terminal size.
        await poll('the remote shell', async () => pane(), (p) => /^ready$/m.test(p));
        tmux(socket, 'send-keys', 'Enter');
        await poll('the first size', async () => pane(), (p) => /^30 100$/m.test(p));
        tmux(socket, 'resize-window', '-x', '120', '-y', '40');
        // The new size travels kubectl → API server → kubelet → terminal on its own: ask until seen.
        await poll('the new size', async () => { tmux(socket, 'send-keys', 'Enter'); return pane(); }, (p) => /^40 120$/m.test(p));
        tmux(socket, 'send-keys', 'q', 'Enter');
        const done = await poll('kubectl to exit', async () => pane(), (p) => /kubectl-exit:\d+/.test(p));
        assert.match(done, /tty:\/dev\/pts exit/);
        assert.match(done, /kubectl-exit:4/);
      } finally {
        try { tmux(socket, 'kill-server'); } catch { /* already gone */ }
      }
    });

    test('attach -i joins the container process', async () => {
      const a = background(version, f.server.kubeconfig, ['attach', '-i', POD, '-c', 'app']);
      try {
        await poll('attach output', async () => { a.child.stdin!.write(`hello-${version}\n`); return a.out(); }, (o) => o.includes(`app got hello-${version}`));
      } finally {
        await a.stop();
      }
    });

    test('logs: container, previous, tail, timestamps, limit-bytes, since, all containers', async () => {
      assert.match(await k.ok(['logs', POD, '-c', 'app']), /^started\n/);
      assert.equal(await k.ok(['logs', POD, '-c', 'app', '--previous']), 'previous run\nprevious crash\n');
      assert.equal(await k.ok(['logs', POD, '-c', 'app', '--previous', '--tail=1']), 'previous crash\n');
      assert.equal(await k.ok(['logs', POD, '-c', 'app', '--previous', '--timestamps']), '2024-01-01T00:00:00Z previous run\n2024-01-01T00:00:01Z previous crash\n');
      assert.equal(await k.ok(['logs', POD, '-c', 'app', '--previous', '--limit-bytes=5']), 'previ');
      assert.equal(await k.ok(['logs', POD, '-c', 'app', '--previous', '--since=1h']), '');
      assert.equal(await k.ok(['logs', POD, '-c', 'app', '--previous', '--since-time=2024-01-01T00:00:01Z']), 'previous crash\n');
      const side = await k.ok(['logs', POD, '-c', 'side']);
      assert.deepEqual(side.split('\n').filter(Boolean).sort(), ['side-err', 'side-out']);
      const all = await k.ok(['logs', POD, '--all-containers']);
      assert.match(all, /started/);
      assert.match(all, /side-out/);
      const bad = await k(['logs', POD, '-c', 'nope']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /container nope is not valid for pod web/);
    });

    test('logs -f follows new lines', async () => {
      const l = background(version, f.server.kubeconfig, ['logs', '-f', POD, '-c', 'app', '--tail=1']);
      try {
        const app = f.pod.containers.get('app')!;
        await poll('follow output', async () => { app.process!.stdin!.write(`follow-${version}\n`); return l.out(); }, (o) => o.includes(`app got follow-${version}`));
      } finally {
        await l.stop();
      }
    });

    test('logs -f carries on across a rotation; rotated files are read back in order', async () => {
      const app = f.pod.containers.get('app')!;
      const manager = new ContainerLogManager({
        runtime: {
          listContainers: async () => [],
          // The local container appends by path: the next line creates the new file.
          reopenContainerLog: async () => undefined,
        },
        maxSize: 1, maxFiles: 5,
      });
      const l = background(version, f.server.kubeconfig, ['logs', '-f', POD, '-c', 'app']);
      try {
        const say = (w: string) => app.process!.stdin!.write(`${w}\n`);
        await poll('follow output', async () => { say(`before-${version}`); return l.out(); }, (o) => o.includes(`app got before-${version}`));
        await manager.rotateOne(app.id, app.logPath);
        await poll('follow after rotation', async () => { say(`after-${version}`); return l.out(); }, (o) => o.includes(`app got after-${version}`));
      } finally {
        await l.stop();
      }
      const all = await k.ok(['logs', POD, '-c', 'app']);
      assert.ok(all.startsWith('started\n'), all);
      assert.ok(all.indexOf(`app got before-${version}`) < all.indexOf(`app got after-${version}`), all);
    });

    test('port-forward reaches a port of the pod', async () => {
      const pf = background(version, f.server.kubeconfig, ['port-forward', '-v=6', `pod/${POD}`, ':80']);
      try {
        const out = await poll('the forwarding line', async () => pf.out(), (o) => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(o));
        const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
        for (const msg of ['first', 'second']) {
          const echoed = await new Promise<string>((resolve, reject) => {
            const s = connect(port, '127.0.0.1', () => s.write(`ping-${msg}`));
            let got = '';
            s.on('data', (d) => {
              got += d.toString();
              if (got === `ping-${msg}`) {
                s.end();
                resolve(got);
              }
            });
            s.on('error', reject);
          });
          assert.equal(echoed, `ping-${msg}`);
        }
        // 1.33 tunnels SPDY through a WebSocket and must not have fallen back to plain SPDY.
        assert.doesNotMatch(pf.err(), /fallback to secondary dialer/);
      } finally {
        await pf.stop();
      }
    });

    test('cp copies files both ways (exec with tar)', async () => {
      const local = join(f.server.dataDir, `local-${version}.txt`);
      writeFileSync(local, `content ${version}\n`);
      await k.ok(['cp', local, `${POD}:${f.workDir}/remote-${version}.txt`, '-c', 'app']);
      assert.equal(readFileSync(join(f.workDir, `remote-${version}.txt`), 'utf8'), `content ${version}\n`);
      const back = join(f.server.dataDir, `back-${version}.txt`);
      await k.ok(['cp', `${POD}:${f.workDir}/remote-${version}.txt`, back, '-c', 'app']);
      assert.equal(readFileSync(back, 'utf8'), `content ${version}\n`);
    });

    test('errors reach kubectl as upstream Status messages', async () => {
      const api = new ApiClient(credentialsFrom(f.server.kubeconfig));
      try {
        const name = `lonely-${version.replace('.', '-')}`;
        const r = await api.request('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
        assert.equal(r.status, 201, r.body);
        const exec = await k(['exec', name, '--', 'true']);
        assert.notEqual(exec.code, 0);
        assert.match(exec.stderr, new RegExp(`pod ${name} does not have a host assigned`));
        const logs = await k(['logs', name]);
        assert.notEqual(logs.code, 0);
        assert.match(logs.stderr, new RegExp(`pod ${name} does not have a host assigned`));
      } finally {
        api.close();
      }
      const missing = await k(['exec', POD, '-c', 'nope', '--', 'true']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /container nope not found in pod web|container nope is not valid for pod web/);
    });

    test('the API server validates log requests as upstream', async () => {
      const api = new ApiClient(credentialsFrom(f.server.kubeconfig));
      try {
        const noContainer = await api.request('GET', `/api/v1/namespaces/default/pods/${POD}/log`);
        assert.equal(noContainer.status, 400);
        assert.equal(noContainer.json().message, 'a container name must be specified for pod web, choose one of: [app side]');
        const tail = await api.request('GET', `/api/v1/namespaces/default/pods/${POD}/log?container=app&tailLines=-1`);
        assert.equal(tail.status, 422);
        assert.equal(tail.json().reason, 'Invalid');
        const exec = await api.request('GET', `/api/v1/namespaces/default/pods/${POD}/exec?container=app&command=ls&stdout=true`);
        assert.equal(exec.status, 400);
        assert.equal(exec.json().message, 'Upgrade request required');
      } finally {
        api.close();
      }
    });
  });
}
