// End to end, as a user checks it with the real kubectl 1.27 (SPDY) and 1.33 (WebSocket): a
// one-node cluster whose kubelet runs busybox pods under conmon + runc, reached through the API
// server's streaming proxy. Logs of a pod that ran to completion, of a restarted container
// (--previous), following (-f), --tail, --timestamps and -c; exec with exit codes, stdin and a
// terminal that follows resizes; port-forward to busybox httpd; cp both ways; attach to a
// container that keeps stdin open. Needs root and runc; `startNodeCluster` cleans up after itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startNodeCluster, type NodeCluster } from '../support/node-cluster.js';
import { kubectlAvailable, kubectlPath, KUBECTL_VERSIONS, type Kubectl } from '../support/kubectl.js';
import { poll } from '../support/poll.js';

const isRoot = process.getuid?.() === 0;
const hasRunc = ['/usr/sbin/runc', '/usr/bin/runc'].some((p) => existsSync(p));
const hasTmux = ['/usr/bin/tmux', '/usr/local/bin/tmux'].some((p) => existsSync(p));
const versions = KUBECTL_VERSIONS.filter((v) => kubectlAvailable(v));
const skip = !isRoot ? 'needs root' : !hasRunc ? 'needs runc' : versions.length === 0 ? 'needs kubectl' : false;

/** A pod that prints three lines and exits 0. */
const PRINTER = 'printer';
/**
 * A pod of three long-running containers: `app` exits 1 on its first run (marking an emptyDir) and
 * stays up on its second, `web` serves busybox httpd on 8080, `talker` keeps stdin open (no TTY)
 * and echoes what it reads.
 */
const WORKER = 'worker';

function printerPod(): object {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: PRINTER },
    spec: {
      restartPolicy: 'Never', terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', 'echo hello from busybox; echo line two; echo line three'] }],
    },
  };
}

function workerPod(): object {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: WORKER },
    spec: {
      restartPolicy: 'Always', terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'state', emptyDir: {} }],
      containers: [
        {
          name: 'app', image: BUSYBOX, imagePullPolicy: 'Never', volumeMounts: [{ name: 'state', mountPath: '/state' }],
          command: ['sh', '-c', 'if [ -e /state/ran ]; then echo second run; exec sleep 3600; fi; touch /state/ran; echo first run; echo first run failing >&2; exit 1'],
        },
        {
          name: 'web', image: BUSYBOX, imagePullPolicy: 'Never', ports: [{ containerPort: 8080 }],
          command: ['sh', '-c', 'mkdir -p /www && echo hello over port-forward > /www/index.html && echo web started && exec httpd -f -p 8080 -h /www'],
        },
        {
          name: 'talker', image: BUSYBOX, imagePullPolicy: 'Never', stdin: true, tty: false,
          command: ['sh', '-c', 'echo talker ready; while read l; do echo "talker got $l"; done; echo talker stdin closed; exec sleep 3600'],
        },
      ],
    },
  };
}

/** A kubectl left running (follow, attach, port-forward); the test ends it. */
function background(version: string, kubeconfig: string, cacheDir: string, args: string[]): { child: ChildProcess; out: () => string; err: () => string; stop(): Promise<void> } {
  const child = spawn(kubectlPath(version), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
  return {
    child, out: () => out, err: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const tmux = (socket: string, ...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

describe('kubelet end to end: logs, exec, port-forward, cp, attach', { skip, concurrency: false }, () => {
  let c: NodeCluster;
  let k: Kubectl;
  let scratch: string;
  const cacheDir = () => join(scratch, 'kubectl-cache');

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'capstan-e2es-'));
    c = await startNodeCluster({ bridge: 'cpt-e2es', clusterCIDR: '10.246.0.0/16', runDir: '/run/cpt-e2es' });
    k = c.kubectl('1.33');
    await k.ok(['apply', '-f', '-'], { input: JSON.stringify(printerPod()) });
    await k.ok(['apply', '-f', '-'], { input: JSON.stringify(workerPod()) });
  });

  after(async () => {
    if (process.env.E2E_DEBUG && c) process.stderr.write(`${c.agent.logs()}\n`);
    await c?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const podJSON = async (name: string) => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as {
    status?: { phase?: string; containerStatuses?: { name: string; restartCount: number; ready: boolean; state?: { running?: object } }[] };
  };
  const workerReady = () => poll('worker: app restarted once and all three containers running', () => podJSON(WORKER), (p) => {
    const cs = p.status?.containerStatuses ?? [];
    return cs.length === 3 && cs.every((s) => s.state?.running) && cs.find((s) => s.name === 'app')?.restartCount === 1;
  }, 120_000);

  test('a pod that prints and exits reaches phase Succeeded', async () => {
    await poll('printer Succeeded', () => podJSON(PRINTER), (p) => p.status?.phase === 'Succeeded', 90_000);
  });

  for (const version of versions) {
    describe(`kubectl ${version}`, { concurrency: false }, () => {
      let kv: Kubectl;
      before(() => { kv = c.kubectl(version); });

      test('logs of a completed pod: all, --tail, --timestamps', async () => {
        await poll('printer Succeeded', () => podJSON(PRINTER), (p) => p.status?.phase === 'Succeeded', 90_000);
        assert.equal(await kv.ok(['logs', PRINTER]), 'hello from busybox\nline two\nline three\n');
        assert.equal(await kv.ok(['logs', PRINTER, '--tail=2']), 'line two\nline three\n');
        // Following a container that has ended prints what it wrote and returns.
        assert.equal(await kv.ok(['logs', '-f', PRINTER]), 'hello from busybox\nline two\nline three\n');
        const stamped = (await kv.ok(['logs', PRINTER, '--timestamps'])).split('\n').filter(Boolean);
        assert.equal(stamped.length, 3);
        const texts = ['hello from busybox', 'line two', 'line three'];
        stamped.forEach((line, i) => {
          const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/.exec(line);
          assert.ok(m, `a timestamp prefixes ${JSON.stringify(line)}`);
          assert.ok(Math.abs(Date.parse(m[1]) - Date.now()) < 3_600_000, `the timestamp ${m[1]} is of this run`);
          assert.equal(m[2], texts[i]);
        });
      });

      test('logs -c picks one of several containers; --previous shows the run before the restart', async () => {
        await workerReady();
        await poll('web logs', () => kv.ok(['logs', WORKER, '-c', 'web']), (o) => o === 'web started\n');
        assert.match(await kv.ok(['logs', WORKER, '-c', 'talker']), /^talker ready\n/);
        await poll('app logs of its second run', () => kv.ok(['logs', WORKER, '-c', 'app']), (o) => o.startsWith('second run\n'));
        const previous = await kv.ok(['logs', WORKER, '-c', 'app', '--previous']);
        assert.deepEqual(previous.split('\n').filter(Boolean).sort(), ['first run', 'first run failing']);
        const none = await kv(['logs', WORKER, '-c', 'web', '--previous']);
        assert.notEqual(none.code, 0);
        assert.match(none.stderr, /previous terminated container "web" in pod "worker" not found/);
        const bad = await kv(['logs', WORKER, '-c', 'nope']);
        assert.notEqual(bad.code, 0);
        assert.match(bad.stderr, /container nope is not valid for pod worker/);
      });

      test('logs -f streams lines as they are written', async () => {
        await workerReady();
        const f = background(version, c.server.kubeconfig, cacheDir(), ['logs', '-f', WORKER, '-c', 'app']);
        try {
          await poll('the existing line', async () => f.out(), (o) => o.includes('second run\n'));
          // Written to the container's own stdout from outside, after kubectl started following.
          for (const n of [1, 2]) {
            const line = `followed ${version} ${n}`;
            await kv.ok(['exec', WORKER, '-c', 'app', '--', 'sh', '-c', `echo "${line}" > /proc/1/fd/1`]);
            await poll(`"${line}" in the followed output`, async () => f.out(), (o) => o.includes(`${line}\n`));
          }
          assert.equal(f.child.exitCode, null, 'logs -f keeps running');
        } finally {
          await f.stop();
        }
      });

      test('exec returns the output and the exit code', async () => {
        await workerReady();
        assert.equal(await kv.ok(['exec', WORKER, '-c', 'web', '--', 'sh', '-c', 'echo hello; cat /www/index.html']), 'hello\nhello over port-forward\n');
        const r = await kv(['exec', '-v=7', WORKER, '-c', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
        assert.equal(r.code, 3, r.stderr);
        assert.equal(r.stdout, 'out\n');
        assert.match(r.stderr, /^err$/m);
        // 1.27 speaks SPDY (v4); 1.33 the WebSocket v5 protocol, without falling back to SPDY.
        if (version === '1.27') assert.match(r.stderr, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
        else assert.match(r.stderr, /The subprotocol is v5\.channel\.k8s\.io/);
        const missing = await kv(['exec', WORKER, '-c', 'web', '--', '/no/such/binary']);
        assert.notEqual(missing.code, 0);
      });

      test('exec -i passes stdin', async () => {
        await workerReady();
        const out = await kv.ok(['exec', '-i', WORKER, '-c', 'web', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], { input: `shout ${version}\nagain\n` });
        assert.equal(out, `SHOUT ${version.toUpperCase()}\nAGAIN\ndone\n`);
      });

      test('exec -it runs under a terminal that follows resizes', { skip: !hasTmux && 'needs tmux' }, async () => {
        await workerReady();
        const socket = `capstan-e2es-${process.pid}-${version}`;
        try {
          const remote = `echo ready; tty; while read a; do [ "$a" = q ] && break; stty size; done; exit 4`;
          const cmd = `${kubectlPath(version)} --kubeconfig ${c.server.kubeconfig} --cache-dir ${cacheDir()} exec -it ${WORKER} -c web -- sh -c '${remote}'; echo "kubectl-exit:$?"; sleep 600`;
          tmux(socket, 'new-session', '-d', '-x', '100', '-y', '30', cmd);
          const pane = () => tmux(socket, 'capture-pane', '-p', '-J');
          const start = await poll('the remote shell', async () => pane(), (p) => /^ready\s*$/m.test(p) && /^\/dev\/pts\/\d+\s*$/m.test(p));
          assert.match(start, /^\/dev\/pts\/\d+\s*$/m);
          // The first size reaches the terminal shortly after the command started: ask until seen.
          await poll('the first size', async () => { tmux(socket, 'send-keys', 'Enter'); return pane(); }, (p) => /^30 100\s*$/m.test(p));
          tmux(socket, 'resize-window', '-x', '120', '-y', '40');
          // The new size travels kubectl → API server → kubelet → conmon's terminal on its own: ask until seen.
          await poll('the new size', async () => { tmux(socket, 'send-keys', 'Enter'); return pane(); }, (p) => /^40 120\s*$/m.test(p));
          tmux(socket, 'send-keys', 'q', 'Enter');
          const done = await poll('kubectl to exit', async () => pane(), (p) => /kubectl-exit:\d+/.test(p));
          assert.match(done, /kubectl-exit:4/);
        } finally {
          try { tmux(socket, 'kill-server'); } catch { /* already gone */ }
        }
      });

      test('port-forward reaches busybox httpd inside the pod', async () => {
        await workerReady();
        const pf = background(version, c.server.kubeconfig, cacheDir(), ['port-forward', `pod/${WORKER}`, ':8080']);
        try {
          const out = await poll('the forwarding line', async () => pf.out(), (o) => /Forwarding from 127\.0\.0\.1:\d+ -> 8080/.test(o));
          const port = Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)![1]);
          // Two requests on two connections: each is its own stream of the same forwarding session.
          for (let i = 0; i < 2; i++) {
            const res = await httpGet(port, '/index.html');
            assert.equal(res.status, 200);
            assert.equal(res.body, 'hello over port-forward\n');
          }
          const missing = await httpGet(port, '/nope');
          assert.equal(missing.status, 404);
          assert.equal(pf.child.exitCode, null, 'port-forward keeps running');
        } finally {
          await pf.stop();
        }
      });

      test('cp copies a file into the container and back', async () => {
        await workerReady();
        const local = join(scratch, `local-${version}.txt`);
        const content = `copied by kubectl ${version}\n${'x'.repeat(5000)}\n`;
        writeFileSync(local, content);
        await kv.ok(['cp', local, `${WORKER}:/tmp/remote-${version}.txt`, '-c', 'web']);
        assert.equal(await kv.ok(['exec', WORKER, '-c', 'web', '--', 'cat', `/tmp/remote-${version}.txt`]), content);
        await kv.ok(['exec', WORKER, '-c', 'web', '--', 'sh', '-c', `echo made in the pod ${version} > /tmp/from-pod.txt`]);
        const back = join(scratch, `back-${version}.txt`);
        await kv.ok(['cp', `${WORKER}:/tmp/from-pod.txt`, back, '-c', 'web']);
        assert.equal(readFileSync(back, 'utf8'), `made in the pod ${version}\n`);
      });

      test('attach to a container with stdin open (no TTY) sees its output', async () => {
        await workerReady();
        const a = background(version, c.server.kubeconfig, cacheDir(), ['attach', '-i', WORKER, '-c', 'talker']);
        try {
          // The line may be written before the attach stream is up: send until the echo comes back.
          const line = `hello ${version}`;
          await poll('the echo through attach', async () => { a.child.stdin!.write(`${line}\n`); return a.out(); }, (o) => o.includes(`talker got ${line}\n`));
          assert.equal(a.child.exitCode, null, 'attach stays attached');
        } finally {
          await a.stop();
        }
        // What went through attach is the container's own output, so it is in its log too.
        assert.match(await kv.ok(['logs', WORKER, '-c', 'talker']), new RegExp(`talker got hello ${version.replace('.', '\\.')}`));
      });

      test('attach without -i shows what the container writes, stdout and stderr apart', async () => {
        await workerReady();
        const a = background(version, c.server.kubeconfig, cacheDir(), ['attach', WORKER, '-c', 'talker']);
        try {
          // Written by the container's own process 1 from outside; repeated until the attach is up.
          let n = 0;
          await poll('container output through attach', async () => {
            n++;
            await kv.ok(['exec', WORKER, '-c', 'talker', '--', 'sh', '-c', `echo "to stdout ${version} ${n}" > /proc/1/fd/1; echo "to stderr ${version} ${n}" > /proc/1/fd/2`]);
            return { out: a.out(), err: a.err() };
          }, ({ out, err }) => out.includes(`to stdout ${version}`) && err.includes(`to stderr ${version}`));
          assert.doesNotMatch(a.out(), /to stderr/);
          assert.equal(a.child.exitCode, null, 'attach stays attached');
        } finally {
          await a.stop();
        }
      });
    });
  }

  test('the agent exits on SIGTERM, ending the sessions still open', async () => {
    // Sessions that ended above must leave nothing running (an attach polling for its container's
    // exit kept the process up); sessions still open end with the kubelet's server.
    const v = versions[versions.length - 1]!;
    const attach = background(v, c.server.kubeconfig, cacheDir(), ['attach', '-i', WORKER, '-c', 'talker']);
    const follow = background(v, c.server.kubeconfig, cacheDir(), ['logs', '-f', WORKER, '-c', 'app']);
    try {
      await poll('attach is up', async () => { attach.child.stdin!.write('last words\n'); return attach.out(); }, (o) => o.includes('talker got last words'));
      await poll('logs -f is up', async () => follow.out(), (o) => o.includes('second run'));
      const code = await Promise.race([c.agent.terminate(), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000).unref())]);
      if (code === 'hung') c.agent.child.kill('SIGKILL');
      assert.notEqual(code, 'hung', `the agent did not exit within 30 s of SIGTERM:\n${c.agent.logs().slice(-3000)}`);
      await poll('kubectl attach and logs -f to end', async () => [attach.child.exitCode, follow.child.exitCode], (codes) => codes.every((x) => x !== null), 30_000);
    } finally {
      await attach.stop();
      await follow.stop();
    }
  });
});
