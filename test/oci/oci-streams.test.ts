// OciRuntime's streams against real conmon and runc/crun: execSync, interactive exec (TTY and not),
// attach through conmon's socket, and port-forward into the sandbox.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { poll } from '../support/poll.js';
import { ctr, ociSuite } from './oci-suite.js';

ociSuite('OciRuntime streams', (oci) => {
  it('execSync captures output and exit codes, and kills on timeout', async () => {
    const sb = await oci.sandbox('execs');
    const id = await oci.create(sb, ctr('main', ['sleep', '3600']));
    await oci.rt.startContainer(id);
    const r = await oci.rt.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 4'], 10_000);
    assert.equal(r.exitCode, 4);
    assert.equal(r.stdout.toString(), 'out\n');
    assert.equal(r.stderr.toString(), 'err\n');
    const t0 = Date.now();
    const slow = await oci.rt.execSync(id, ['sleep', '30'], 500);
    assert.equal(slow.timedOut, true);
    assert.ok(Date.now() - t0 < 20_000);
    const cg = await oci.rt.execSync(id, ['sh', '-c', 'cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup'], 10_000);
    const [mine, init] = cg.stdout.toString().split('---\n');
    assert.equal(mine!.trim(), init!.trim(), 'the exec joins the container\'s cgroups');
    const ps = await oci.rt.execSync(id, ['ps'], 10_000);
    assert.ok(!ps.stdout.toString().includes('sleep 30'), 'the timed-out process is gone');
    await oci.rt.removePodSandbox(sb);
  });

  it('exec without a TTY: stdin in, stdout and stderr apart, the exit code', async () => {
    const sb = await oci.sandbox('pipes');
    const id = await oci.create(sb, ctr('main', ['sleep', '3600']));
    await oci.rt.startContainer(id);
    const s = await oci.rt.exec(id, { cmd: ['sh', '-c', 'while read l; do echo "out $l"; echo "err $l" >&2; done; exit 6'], stdin: true, stdout: true, stderr: true });
    let out = '';
    let err = '';
    s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    s.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
    s.stdin!.end('a\nb\n');
    assert.equal(await s.exit, 6);
    assert.equal(out, 'out a\nout b\n');
    assert.equal(err, 'err a\nerr b\n');
    await oci.rt.removePodSandbox(sb);
  });

  it('exec with a TTY, resized', async () => {
    const sb = await oci.sandbox('tty');
    const id = await oci.create(sb, ctr('main', ['sleep', '3600']));
    await oci.rt.startContainer(id);
    const s = await oci.rt.exec(id, { cmd: ['sh'], tty: true, stdin: true, stdout: true });
    assert.equal(s.stderr, undefined);
    let out = '';
    s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    s.resize(100, 30);
    // The resize lands asynchronously: ask until the terminal reports it.
    await poll('resized', async () => { s.stdin!.write('stty size\n'); await new Promise((r) => setTimeout(r, 50)); return out; }, (o) => /30 100/.test(o), 20_000, 50);
    s.stdin!.write('tty; exit 5\n');
    assert.equal(await s.exit, 5);
    assert.match(out, /\/dev\/pts\/\d+/);
    await oci.rt.removePodSandbox(sb);
  });

  it('port-forwards to a server inside the sandbox', async () => {
    const sb = await oci.sandbox('forward');
    const id = await oci.create(sb, ctr('web', ['httpd', '-f', '-p', '8080', '-h', '/www']));
    await oci.rt.startContainer(id);
    const body = await poll('httpd answers', async () => {
      const conn = await oci.rt.portForward(sb, 8080);
      const chunks: Buffer[] = [];
      conn.on('data', (b: Buffer) => chunks.push(b));
      conn.end('GET /index.html HTTP/1.0\r\n\r\n');
      await new Promise((r) => conn.on('close', r).on('end', r));
      return Buffer.concat(chunks).toString();
    }, (b) => b.includes('hello from the sandbox'), 30_000, 100);
    assert.match(body, /^HTTP\/1\.[01] 200/);
    await oci.rt.removePodSandbox(sb);
  });

  it('attaches to a running container\'s stdio', async () => {
    const sb = await oci.sandbox('attach');
    const id = await oci.create(sb, ctr('echoer', ['sh', '-c', 'while read line; do echo "got $line"; echo "err $line" >&2; done'], { stdin: true }));
    await oci.rt.startContainer(id);
    await poll('running', () => oci.rt.containerStatus(id), (s) => s?.state === 'running', 10_000, 20);
    const s = await oci.rt.attach(id, { stdin: true });
    let out = '';
    let err = '';
    s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    s.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
    try {
      s.stdin!.write('ping\n');
      await poll('echoed', async () => out, (o) => o.includes('got ping'), 10_000, 20);
      await poll('stderr', async () => err, (e) => e.includes('err ping'), 10_000, 20);
    } finally {
      s.close();
    }
    await oci.rt.removePodSandbox(sb);
  });

  it('runs a TTY container, attached and resized through conmon', async () => {
    const sb = await oci.sandbox('ttyctr');
    const id = await oci.create(sb, ctr('shell', ['sh'], { tty: true, stdin: true }));
    await oci.rt.startContainer(id);
    await poll('running', () => oci.rt.containerStatus(id), (s) => s?.state === 'running', 10_000, 20);
    const s = await oci.rt.attach(id, { stdin: true, tty: true });
    assert.equal(s.stderr, undefined);
    let out = '';
    s.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    try {
      s.resize(120, 40);
      await poll('terminal output', async () => { s.stdin!.write('tty; stty size\n'); await new Promise((r) => setTimeout(r, 50)); return out; },
        (o) => /\/dev\/pts\/\d+/.test(o) && /40 120/.test(o), 20_000, 50);
    } finally {
      s.close();
    }
    const st = await oci.rt.containerStatus(id);
    assert.match(await readFile(st!.logPath!, 'utf8'), / stdout [PF] /);
    await oci.rt.removePodSandbox(sb);
  });
});
