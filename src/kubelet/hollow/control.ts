// A tiny line protocol to drive a running `capstan sim` from outside (controller tests):
// connect to the unix socket given by `--control-socket` and send lines
//   kill <node>     stop the node's heartbeats and pod work
//   revive <node>   resume them
//   stats           one JSON line of counters
// Each line gets one answer line: `ok`, a JSON object, or `error: <message>`.
import { createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { HollowNodes } from './hollow-nodes.js';

/** Pure dispatch of one command line; never throws. */
export function handleControlCommand(sim: Pick<HollowNodes, 'kill' | 'revive' | 'stats'>, line: string): string {
  const [verb, arg, ...extra] = line.trim().split(/\s+/);
  try {
    if ((verb === 'kill' || verb === 'revive') && arg && extra.length === 0) {
      sim[verb](arg);
      return 'ok';
    }
    if (verb === 'stats' && !arg) return JSON.stringify(sim.stats());
    return `error: unknown command "${line.trim()}" (want: kill <node>, revive <node>, stats)`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Serves the control socket at `path` until `signal` aborts; resolves once closed and removed. */
export async function serveControlSocket(path: string, sim: Pick<HollowNodes, 'kill' | 'revive' | 'stats'>, signal: AbortSignal): Promise<void> {
  rmSync(path, { force: true });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    let buf = '';
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) socket.write(`${handleControlCommand(sim, line)}\n`);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(path, { force: true });
}
