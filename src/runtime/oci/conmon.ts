// Starting conmon, the per-container monitor: it runs `<runtime> create`, holds the container's
// stdio, writes its log in the kubelet's CRI format (`k8s-file`), serves the attach socket, and
// records the exit code (`<persist>/exit`) and an OOM kill (`<persist>/oom`) when the container
// ends. conmon daemonizes, so containers outlive the process that started them.
//
// The handshake, as CRI-O uses it (internal/oci/runtime_oci.go): `_OCI_SYNCPIPE` names an fd on
// which conmon writes `{"data": <pid>}` once the container is created, or
// `{"data": -1, "message": "…"}` if creation failed.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { which } from './oci-cli.js';

export interface ConmonFiles {
  /** The bundle (config.json, rootfs); conmon also puts its `ctl`/`winsz` FIFOs and `attach` socket here. */
  bundle: string;
  /** `exit` and `oom` land here. */
  persistDir: string;
  exitDir: string;
  /** Directory of the short symlinks to bundles that keep attach socket paths under 108 bytes. */
  socketDir: string;
  conmonPidFile: string;
  pidFile: string;
  logPath: string;
}

export interface ConmonLaunch {
  id: string;
  name: string;
  runtimeBinary: string;
  runtimeStateRoot: string;
  files: ConmonFiles;
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  /**
   * The container's overlay rootfs, mounted by a shell that then execs conmon: one program started
   * from the kubelet instead of two (each fork of the kubelet's large process blocks it a while).
   */
  rootfsOverlay?: { options: string; target: string };
}

let conmonPath: Promise<string> | undefined;

/** Reads conmon's sync pipe until its first JSON message. */
function readSyncMessage(stream: Readable): Promise<{ data: number; message?: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (err?: Error, v?: { data: number; message?: string }) => {
      stream.removeAllListeners('data');
      stream.destroy();
      if (err) reject(err); else resolve(v!);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      const end = buf.indexOf('}');
      if (end < 0) return;
      try {
        done(undefined, JSON.parse(buf.slice(buf.indexOf('{'), end + 1)));
      } catch (e) {
        done(e as Error);
      }
    });
    stream.on('end', () => done(new Error(`conmon exited without reporting the container (${buf.trim() || 'no message'})`)));
    stream.on('error', (e) => done(e));
  });
}

/** Starts conmon for a created bundle; resolves with the container's PID once `create` succeeded. */
export async function launchConmon(l: ConmonLaunch): Promise<{ pid: number }> {
  conmonPath ??= which('conmon');
  const bin = await conmonPath;
  const f = l.files;
  const args = [
    '--api-version', '1',
    '-c', l.id, '-u', l.id, '-n', l.name,
    '-r', l.runtimeBinary, '--runtime-arg', `--root=${l.runtimeStateRoot}`,
    '-b', f.bundle, '-p', f.pidFile, '-P', f.conmonPidFile,
    '-l', `k8s-file:${f.logPath}`,
    '--exit-dir', f.exitDir, '--persist-dir', f.persistDir, '--socket-dir-path', f.socketDir,
    '--log-level', 'error',
  ];
  if (l.tty) args.push('-t');
  if (l.stdin) args.push('-i');
  if (l.stdin && !l.stdinOnce) args.push('--leave-stdin-open');
  const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3' };
  if (!l.rootfsOverlay) {
    const child = spawn(bin, args, { cwd: f.bundle, detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'], env });
    child.on('error', () => {});
    child.unref();
    return syncedPid(await readSyncMessage(child.stdio[3] as Readable));
  }
  // mount's messages come back on the stderr pipe; conmon then gets /dev/null there, as without the shell.
  const script = 'mount -t overlay overlay -o "$1" "$2" 1>&2 || exit 125; shift 2; exec 2>/dev/null; exec "$@"';
  const child = spawn('sh', ['-c', script, 'sh', l.rootfsOverlay.options, l.rootfsOverlay.target, bin, ...args], {
    cwd: f.bundle, detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env,
  });
  child.on('error', () => {});
  child.unref();
  let stderr = '';
  const stderrStream = child.stderr!;
  stderrStream.setEncoding('utf8');
  stderrStream.on('data', (d: string) => { stderr += d; });
  const stderrClosed = new Promise<void>((resolve) => stderrStream.once('close', () => resolve()));
  try {
    return syncedPid(await readSyncMessage(child.stdio[3] as Readable));
  } catch (e) {
    await stderrClosed;
    if (stderr.trim()) throw new Error(`mount ${l.rootfsOverlay.target}: ${stderr.trim()}`);
    throw e;
  } finally {
    stderrStream.destroy();
  }
}

function syncedPid(msg: { data: number; message?: string }): { pid: number } {
  if (msg.data < 0) throw new Error(msg.message ?? 'container create failed');
  return { pid: msg.data };
}

/**
 * Writes one control message to conmon's `ctl` FIFO: `1 <h> <w>` resizes the terminal (conmon
 * passes it on to its `winsz` side), `2 0 0` reopens the log file. Opening a FIFO with no reader
 * fails fast (ENXIO), which means conmon is gone.
 */
export async function conmonControl(bundle: string, kind: 'resize' | 'reopen', height = 0, width = 0): Promise<void> {
  const fifo = path.join(bundle, 'ctl');
  const { constants } = await import('node:fs');
  const fh = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    await fh.write(kind === 'resize' ? `1 ${height} ${width}\n` : '2 0 0\n');
  } finally {
    await fh.close();
  }
}
