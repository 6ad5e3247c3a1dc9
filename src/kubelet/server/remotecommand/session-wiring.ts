// Connects a runtime StreamSession (exec or attach) to the client side of a protocol, whichever
// it is (WebSocket channels or SPDY streams). The protocol adapter provides `ClientSide`; this
// runs the session to its end: stdin in, output out, resizes, then the exit status, then close.
import type { Readable, Writable } from 'node:stream';
import type { StreamSession } from '../../../runtime/index.js';
import type { SessionOutcome } from './status.js';

export interface ClientSide {
  /** Bytes the client sends for the process's stdin (ends when the client closes stdin). */
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Registers the terminal-size listener. */
  onResize(listener: (width: number, height: number) => void): void;
  /** Sends the outcome on the error stream and ends the connection. Called once. */
  finish(outcome: SessionOutcome): void;
  /** Resolves when the client went away. */
  gone: Promise<void>;
}

/** How long output may still drain after the process exited (a background child can hold the pipe). */
const DRAIN_AFTER_EXIT_MS = 2000;

function ended(r: Readable | undefined): Promise<void> {
  if (!r || r.readableEnded || r.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    r.once('end', resolve);
    r.once('close', resolve);
    r.once('error', () => resolve());
  });
}

/**
 * Copies `from` into `to` without ending `to`: a slow destination pauses the source instead of
 * buffering here (back-pressure). Without a destination the source is drained.
 */
export function forward(from: Readable | undefined, to: Writable | undefined): void {
  if (!from) return;
  if (!to) {
    from.resume();
    return;
  }
  from.on('data', (c: Buffer) => {
    if (to.destroyed || to.writableEnded) return;
    if (!to.write(c)) {
      from.pause();
      const go = () => {
        to.off('drain', go);
        to.off('close', go);
        from.resume();
      };
      to.on('drain', go);
      to.on('close', go);
    }
  });
}

/** Upstream's wording for a session that failed other than by exiting. */
export function sessionErrorText(kind: 'exec' | 'attach', e: unknown): string {
  return `${kind === 'exec' ? 'error executing command in container' : 'error attaching to container'}: ${(e as Error).message ?? String(e)}`;
}

/** Runs `session` for `client` until the command exits or the client leaves; `cmd` names an exec's command. */
export async function runSession(session: StreamSession, client: ClientSide, kind: 'exec' | 'attach', cmd?: string[]): Promise<void> {
  if (client.stdin && session.stdin) {
    const sin = session.stdin;
    sin.on('error', () => undefined);
    client.stdin.on('data', (c: Buffer) => { if (!sin.destroyed && !sin.writableEnded) sin.write(c); });
    client.stdin.on('end', () => { if (!sin.destroyed) sin.end(); });
  }
  forward(session.stdout, client.stdout);
  forward(session.stderr, client.stderr);
  client.onResize((w, h) => {
    try {
      session.resize(w, h);
    } catch {
      // Not a terminal: ignore as upstream does for a non-TTY session.
    }
  });
  let left = false;
  void client.gone.then(() => {
    left = true;
    session.close();
  });
  let outcome: SessionOutcome;
  try {
    const exitCode = await session.exit;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([ended(session.stdout), ended(session.stderr)]),
      new Promise<void>((r) => { timer = setTimeout(r, DRAIN_AFTER_EXIT_MS); }),
    ]);
    clearTimeout(timer);
    outcome = { exitCode, cmd };
  } catch (e) {
    outcome = { error: sessionErrorText(kind, e) };
  }
  if (!left) client.finish(outcome);
}
