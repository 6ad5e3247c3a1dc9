// `capstan sim` as a process: flags, readiness, the control socket and a clean SIGTERM stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer, REPO_ROOT } from '../support/server.js';
import { askControlSocket as ask } from '../support/control-socket.js';
import { until } from '../client/helpers.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { nodes, type Node } from '../../src/api/index.js';

test('capstan sim registers nodes, obeys the control socket and stops on SIGTERM', async () => {
  const server = await startTestServer({ memory: true });
  const client = new Client(transportFromKubeconfig(server.kubeconfig));
  const socketPath = join(server.dataDir, 'sim.sock');
  const entry = `import(${JSON.stringify(join(REPO_ROOT, 'src/cli/main.ts'))}).then((m) => m.main(process.argv.slice(1)))`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', entry, 'sim', '--nodes', '3', '--kubeconfig', server.kubeconfig,
    '--name-prefix', 'cli-', '--cpu', '2', '--labels', 'role=sim', '--taints', 'sim=yes:NoSchedule', '--control-socket', socketPath], {
    cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await until('sim ready', () => /ready: 3 nodes registered/.test(stderr), 30_000);
    const n = (await client.resource(nodes).get('', 'cli-1')) as Node;
    assert.equal(n.status?.capacity?.cpu, '2');
    assert.equal(n.metadata?.labels?.role, 'sim');
    assert.deepEqual(n.spec?.taints, [{ key: 'sim', value: 'yes', effect: 'NoSchedule' }]);
    assert.equal(await ask(socketPath, 'kill cli-1'), 'ok');
    assert.equal(JSON.parse(await ask(socketPath, 'stats')).killed, 1);
    assert.equal(await ask(socketPath, 'revive cli-1'), 'ok');
    assert.match(await ask(socketPath, 'kill nope'), /^error: no hollow node named "nope"/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /stopped/);
  } finally {
    child.kill('SIGKILL');
    client.close();
    await server.stop();
  }
});

test('capstan sim rejects bad flags with a clear message', async () => {
  const entry = `import(${JSON.stringify(join(REPO_ROOT, 'src/cli/main.ts'))}).then((m) => m.main(process.argv.slice(1))).catch((e) => { console.error(e.message); process.exit(1); })`;
  const run = (args: string[]) => new Promise<{ code: number | null; err: string }>((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', '-e', entry, 'sim', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d) => (err += d));
    c.on('exit', (code) => resolve({ code, err }));
  });
  const [a, b] = await Promise.all([run([]), run(['--nodes', '2', '--taints', 'x=y:Never'])]);
  assert.equal(a.code, 1);
  assert.match(a.err, /--nodes must be a positive integer/);
  assert.equal(b.code, 1);
  assert.match(b.err, /invalid --taints entry "x=y:Never"/);
});
