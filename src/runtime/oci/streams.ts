// Commands and streams into running containers: execSync (probes, hooks), interactive exec,
// attach to conmon's socket, and port-forward into a sandbox's network namespace.
//
// - execSync runs `<runtime> exec --pid-file` with pipes; on timeout it SIGKILLs the exec'ed
//   process itself (killing the runtime's CLI would leave the process running in the container).
// - exec with a TTY needs a pseudo-terminal: util-linux `script` gives the runtime's CLI one, the
//   CLI (`exec -t`) puts it in raw mode and relays it to the container's own terminal. resize sets
//   the size of script's terminal (`stty -F`) and sends the CLI SIGWINCH, on which it resizes the
//   container's terminal.
// - conmon's attach socket is SOCK_SEQPACKET, which Node cannot open: socat relays each packet
//   as one UDP datagram on loopback, keeping conmon's framing (one stream byte, then data).
// - portForward is `nsenter --net=<netns> socat - TCP:127.0.0.1:<port>` on a child's stdio.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Duplex, PassThrough, Writable } from 'node:stream';
import type { ExecOptions, ExecSyncResult, StreamSession } from '../runtime.js';
import { conmonControl } from './conmon.js';
import type { OciCli } from './oci-cli.js';

function tmpPidFile(): string {
  return path.join(os.tmpdir(), `capstan-exec-${process.pid}-${Math.random().toString(36).slice(2)}.pid`);
}

async function killPidFile(file: string): Promise<void> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (pid > 0) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* exited */ }
  }
}

/** Runs `cmd` in the container to completion or `timeoutMs`, capturing stdout and stderr. */
export function execSync(cli: OciCli, id: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
  const pidFile = tmpPidFile();
  return new Promise((resolve, reject) => {
    const child = spawn(cli.direct, [`--root=${cli.stateRoot}`, 'exec', '--pid-file', pidFile, id, ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    // On timeout the exec'ed process is killed as soon as its pid file exists (a loaded host may
    // not have started it yet); the runtime's CLI only as a last resort.
    const timer = timeoutMs > 0 ? setTimeout(() => {
      timedOut = true;
      const started = Date.now();
      killer = setInterval(() => {
        void killPidFile(pidFile);
        if (Date.now() - started > 10_000) child.kill('SIGKILL');
      }, 50);
      void killPidFile(pidFile);
    }, timeoutMs) : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { if (timer) clearTimeout(timer); if (killer) clearInterval(killer); reject(e); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killer) clearInterval(killer);
      void rm(pidFile, { force: true });
      const exitCode = code ?? (signal === 'SIGKILL' ? 137 : 128);
      resolve({ exitCode: timedOut ? (exitCode || 137) : exitCode, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ...(timedOut ? { timedOut } : {}) });
    });
  });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The terminal `script` gives its child (the runtime's CLI), and that child's PID. */
async function scriptTerminal(scriptPid: number): Promise<{ tty: string; pid: number } | undefined> {
  for (let i = 0; i < 500; i++) {
    const children = await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').catch(() => '');
    const child = Number(children.trim().split(' ')[0]);
    if (child) {
      const tty = await readlink(`/proc/${child}/fd/0`).catch(() => '');
      if (tty.startsWith('/dev/pts/')) return { tty, pid: child };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
}

/** An interactive exec; with `tty`, stdout carries the terminal and stderr is absent. */
export async function execInteractive(cli: OciCli, id: string, o: ExecOptions): Promise<StreamSession> {
  const pidFile = tmpPidFile();
  const runtimeArgs = [`--root=${cli.stateRoot}`, 'exec', '--pid-file', pidFile, ...(o.tty ? ['-t'] : []), id, ...o.cmd];
  // Streams nobody reads are not piped (a full pipe would block the process).
  const out = o.stdout === false ? 'ignore' : 'pipe';
  const err = o.stderr === false || o.tty ? 'ignore' : 'pipe';
  // With a TTY the CLI starts once the terminal has a size (the client's first resize, or after
  // 1 s without one): crun sets the container's terminal size only when the exec starts.
  const waitForSize = 'i=0; while [ "$(stty size 2>/dev/null)" = "0 0" ] && [ $i -lt 20 ]; do sleep 0.05; i=$((i+1)); done; ';
  const child = o.tty
    ? spawn('script', ['-q', '-e', '-c', waitForSize + ['exec', cli.direct, ...runtimeArgs].map(shellQuote).join(' '), '/dev/null'], { stdio: ['pipe', out, 'ignore'] })
    : spawn(cli.direct, runtimeArgs, { stdio: ['pipe', out, err] });
  child.on('error', () => {});
  child.stdin!.on('error', () => {});
  const terminal = o.tty ? scriptTerminal(child.pid!) : Promise.resolve(undefined);
  if (!o.stdin) child.stdin!.end();
  const exit = exitOf(child).finally(() => { void rm(pidFile, { force: true }); });
  return {
    ...(o.stdin ? { stdin: child.stdin! } : {}),
    ...(child.stdout ? { stdout: child.stdout } : {}),
    ...(child.stderr ? { stderr: child.stderr } : {}),
    resize(width: number, height: number) {
      if (!o.tty) return;
      void terminal.then((t) => {
        if (!t) return;
        const s = spawn('stty', ['-F', t.tty, 'rows', String(height), 'cols', String(width)], { stdio: 'ignore' });
        s.on('error', () => {});
        // The kernel signals only a change, and the CLI may not be watching yet (on a loaded
        // machine its start-up takes seconds): signal it again over the next 10 s (it re-reads the
        // size; repeating is harmless).
        s.on('close', () => {
          for (const ms of [0, 100, 300, 1000, 2000, 3500, 5000, 7500, 10_000]) {
            setTimeout(() => {
              if (child.exitCode === null) {
                try { process.kill(t.pid, 'SIGWINCH'); } catch { /* exited */ }
              }
            }, ms).unref();
          }
        });
      });
    },
    exit,
    close() {
      void killPidFile(pidFile);
      child.kill('SIGKILL');
    },
  };
}

/** A free loopback UDP port (bound and released; the relay binds it right after). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.on('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until the relay has bound its UDP port (stdin sent earlier would be dropped). */
async function relayBound(port: number, relay: ChildProcess): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (let i = 0; i < 300 && relay.exitCode === null; i++) {
    const table = await readFile('/proc/net/udp', 'utf8').catch(() => '');
    if (table.includes(`0100007F${hex}`)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Attaches to conmon's socket. conmon sends each chunk as one packet: byte 2 = stdout, 3 = stderr,
 * then the data; whatever the client sends goes to the container's stdin.
 */
export async function attachContainer(a: {
  socketPath: string; bundle: string; stdin: boolean; tty: boolean;
  /** Resolves with the container's exit code; stops waiting when `signal` aborts (the session ended). */
  exited: (signal: AbortSignal) => Promise<number>;
}): Promise<StreamSession> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => { sock.once('error', reject); sock.bind(0, '127.0.0.1', () => resolve()); });
  const ours = sock.address().port;
  const theirs = await freeUdpPort();
  const relay = spawn('socat', ['-b', '65536', `UNIX-CONNECT:${a.socketPath},type=5`, `UDP4-SENDTO:127.0.0.1:${ours},bind=127.0.0.1:${theirs}`], { stdio: 'ignore' });
  relay.on('error', () => {});
  await relayBound(theirs, relay);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let closed = false;
  const detached = new AbortController();
  sock.on('message', (msg) => {
    if (msg.length < 1) return;
    const data = msg.subarray(1);
    if (msg[0] === 3 && !a.tty) stderr.write(data);
    else if (msg[0] === 2 || msg[0] === 3) stdout.write(data);
  });
  const finish = () => {
    if (closed) return;
    closed = true;
    detached.abort();
    relay.kill('SIGTERM');
    try { sock.close(); } catch { /* closed */ }
    stdout.end();
    stderr.end();
  };
  relay.on('close', finish);
  const stdin = a.stdin ? new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (closed) return cb();
      sock.send(chunk, theirs, '127.0.0.1', () => cb());
    },
    final(cb) { cb(); },
  }) : undefined;
  // Closing the session (or the relay ending) aborts `detached`: the exit wait stops polling.
  const exit = Promise.race([a.exited(detached.signal), new Promise<number>((r) => relay.on('close', () => r(0)))]);
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(a.tty ? {} : { stderr }),
    resize(width: number, height: number) {
      if (a.tty) void conmonControl(a.bundle, 'resize', height, width).catch(() => {});
    },
    exit,
    close: finish,
  };
}

/** A TCP connection to 127.0.0.1:port inside the network namespace (the host's without one). */
export async function portForward(netnsPath: string | undefined, port: number): Promise<Duplex> {
  const args = ['-', `TCP4:127.0.0.1:${port}`];
  const child = netnsPath ? spawn('nsenter', [`--net=${netnsPath}`, 'socat', ...args], { stdio: ['pipe', 'pipe', 'ignore'] })
    : spawn('socat', args, { stdio: ['pipe', 'pipe', 'ignore'] });
  child.on('error', () => {});
  child.stdin!.on('error', () => {});
  const conn = Duplex.from({ writable: child.stdin!, readable: child.stdout! });
  // Destroying the connection ends the relay.
  conn.on('close', () => { if (child.exitCode === null) child.kill('SIGTERM'); });
  return conn;
}
