// tcpSocket probes (upstream pkg/probe/tcp): success once a TCP connection opens within the timeout.
import net from 'node:net';
import type { ProbeResult } from './probe-result.js';

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const addr = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (r: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ result: 'failure', output: `dial tcp ${addr}: i/o timeout` }), timeoutMs);
    socket.once('connect', () => done({ result: 'success', output: '' }));
    socket.once('error', (e: NodeJS.ErrnoException) => done({
      result: 'failure', output: e.code === 'ECONNREFUSED' ? `dial tcp ${addr}: connect: connection refused` : `dial tcp ${addr}: ${e.message}`,
    }));
  });
}
