// Runs one probe or hook handler against a container: exec, httpGet, tcpSocket, grpc. Ports may be
// named after the container's ports; hosts default to the pod IP. Called by probe workers and the
// pod worker's hooks; never throws for a failed check (only for a handler it cannot run).
import type { ContainerRuntime } from '../../runtime/index.js';
import type { Container } from '../pods/runtime-state.js';
import { probeExec } from './exec-probe.js';
import { probeGrpc } from './grpc-probe.js';
import { probeHttp } from './http-probe.js';
import { probeTcp } from './tcp-probe.js';
import type { ProbeResult } from './probe-result.js';

export type Handler = NonNullable<Container['readinessProbe']>;

export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Container;
  podIP?: string;
}

/** A port number from a number, a numeric string or the name of one of the container's ports. */
export function resolvePort(port: number | string | undefined, container: Container): number {
  if (typeof port === 'number') return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  if (!found?.containerPort) throw new Error(`couldn't find port: ${port} in ${container.name}`);
  return found.containerPort;
}

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function runHandler(handler: Handler, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  if (handler.exec) return probeExec(target.runtime, target.containerId, handler.exec.command ?? [], timeoutMs);
  if (handler.httpGet) {
    const h = handler.httpGet;
    const host = h.host || target.podIP || '127.0.0.1';
    const scheme = (h.scheme ?? 'HTTP').toLowerCase();
    const path = h.path ? (h.path.startsWith('/') ? h.path : `/${h.path}`) : '/';
    const url = new URL(`${scheme}://${hostPart(host)}:${resolvePort(h.port, target.container)}${path}`);
    return probeHttp({ url, headers: (h.httpHeaders ?? []).map((x) => ({ name: x.name ?? '', value: x.value ?? '' })), timeoutMs });
  }
  if (handler.tcpSocket) return probeTcp(handler.tcpSocket.host || target.podIP || '127.0.0.1', resolvePort(handler.tcpSocket.port, target.container), timeoutMs);
  if (handler.grpc) return probeGrpc(target.podIP || '127.0.0.1', handler.grpc.port ?? 0, handler.grpc.service ?? '', timeoutMs);
  throw new Error('missing probe handler');
}
