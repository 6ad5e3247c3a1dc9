// remotecommand over SPDY (kubectl before 1.30, and any client that falls back): after the
// upgrade the client opens one SPDY stream per role, named by its `streamType` header (error,
// stdin, stdout, stderr, resize). The kubelet waits until every expected stream exists (error
// always; stdin/stdout/stderr as asked; resize with a TTY from v3 on), then runs the command.
import type { SpdyConnection, SpdyStream } from '../spdy/connection.js';
import type { ClientSide } from './session-wiring.js';
import { encodeExitStatus, ResizeDecoder, type SessionOutcome } from './status.js';
import type { StreamFlags } from './ws-channels.js';

/** SPDY remotecommand protocols, most preferred first (`X-Stream-Protocol-Version`). */
export const SPDY_REMOTECOMMAND_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const STREAM_CREATION_TIMEOUT_MS = 30_000;

type Role = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export function expectedRoles(protocol: string, flags: StreamFlags): Role[] {
  const roles: Role[] = ['error'];
  if (flags.stdin) roles.push('stdin');
  if (flags.stdout) roles.push('stdout');
  if (flags.stderr && !flags.tty) roles.push('stderr');
  if (flags.tty && protocol !== 'channel.k8s.io' && protocol !== 'v2.channel.k8s.io') roles.push('resize');
  return roles;
}

/**
 * Collects the client's streams. The connection must have been created with `onStream` calling
 * the returned `offer` (streams arrive before this knows what to do with them).
 */
export function spdyStreamCollector(protocol: string, flags: StreamFlags): {
  offer: (s: SpdyStream) => void;
  ready: Promise<Map<Role, SpdyStream>>;
} {
  const want = new Set(expectedRoles(protocol, flags));
  const got = new Map<Role, SpdyStream>();
  let resolve!: (m: Map<Role, SpdyStream>) => void;
  let reject!: (e: Error) => void;
  const ready = new Promise<Map<Role, SpdyStream>>((res, rej) => { resolve = res; reject = rej; });
  const timer = setTimeout(() => reject(new Error('timed out waiting for client to create streams')), STREAM_CREATION_TIMEOUT_MS);
  return {
    offer(s) {
      const role = s.header('streamtype') as Role | undefined;
      if (!role || !want.has(role) || got.has(role)) {
        s.reset();
        return;
      }
      s.accept();
      got.set(role, s);
      if (got.size === want.size) {
        clearTimeout(timer);
        resolve(got);
      }
    },
    ready,
  };
}

/** The client side of a session over the collected SPDY streams. */
export function spdyClientSide(conn: SpdyConnection, streams: Map<Role, SpdyStream>, protocol: string): ClientSide {
  const errorStream = streams.get('error')!;
  const resize = streams.get('resize');
  const stdin = streams.get('stdin');
  stdin?.on('error', () => undefined);
  let finished = false;
  return {
    stdin,
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    onResize(listener) {
      if (!resize) return;
      const d = new ResizeDecoder();
      resize.on('data', (c: Buffer) => { for (const s of d.push(c)) listener(s.width, s.height); });
    },
    finish(outcome: SessionOutcome) {
      finished = true;
      streams.get('stdout')?.end();
      streams.get('stderr')?.end();
      const status = encodeExitStatus(outcome, protocol);
      if (status) errorStream.write(status);
      errorStream.end();
      // The client closes the connection once it read the status; close ours shortly after in
      // case it does not (the reply frames are already queued on the socket).
      setTimeout(() => conn.close(), 1000).unref();
    },
    gone: conn.closed.then(() => { if (finished) return new Promise<void>(() => undefined); }),
  };
}
