// Where on a node a pod subresource goes (upstream pkg/registry/core/pod strategy: LogLocation,
// ExecLocation, AttachLocation, PortForwardLocation). Pure: pod and node in, a kubelet address,
// path and query out, or the upstream Status error.
import { errors, fieldError, type FieldError, type KubeObject } from '../../api/index.js';

export interface KubeletAddress {
  host: string;
  port: number;
}

export interface KubeletLocation extends KubeletAddress {
  /** Path and query on the kubelet, e.g. `/exec/default/web/app?command=ls&stdout=1`. */
  path: string;
}

interface PodShape {
  metadata?: { name?: string; namespace?: string };
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
}

const DEFAULT_KUBELET_PORT = 10250;

/** The node's kubelet: InternalIP (then Hostname, ExternalIP) and daemonEndpoints.kubeletEndpoint.Port. */
export function kubeletAddressOf(node: KubeObject): KubeletAddress {
  const status = node.status as { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } | undefined;
  const addrs = status?.addresses ?? [];
  const pick = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS'].map((t) => addrs.find((a) => a.type === t)).find(Boolean);
  if (!pick) throw errors.badRequest(`node ${node.metadata?.name ?? ''} has no address to reach its kubelet`);
  return { host: pick.address, port: status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT };
}

const names = (cs: { name: string }[] | undefined) => (cs ?? []).map((c) => c.name);

/** Upstream validateContainer: the named container, or the only one, else a 400 naming the choices. */
export function resolveContainer(pod: KubeObject, container: string | null): string {
  const p = pod as PodShape;
  const name = p.metadata?.name ?? '';
  const all = [...names(p.spec?.containers), ...names(p.spec?.initContainers), ...names(p.spec?.ephemeralContainers)];
  if (!container) {
    const cs = names(p.spec?.containers);
    if (cs.length === 1) return cs[0]!;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${cs.join(' ')}]`;
    const init = names(p.spec?.initContainers);
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    const eph = names(p.spec?.ephemeralContainers);
    if (eph.length) msg += ` or one of the ephemeral containers: [${eph.join(' ')}]`;
    throw errors.badRequest(msg);
  }
  if (!all.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

export function nodeNameOf(pod: KubeObject): string {
  const p = pod as PodShape;
  const node = p.spec?.nodeName;
  if (!node) throw errors.badRequest(`pod ${p.metadata?.name ?? ''} does not have a host assigned`);
  return node;
}

/** PodLogOptions validation (upstream ValidatePodLogOptions); empty when valid. */
export function validatePodLogOptions(q: URLSearchParams): FieldError[] {
  const errs: FieldError[] = [];
  const int = (name: string, min: number, detail: string) => {
    const v = q.get(name);
    if (v === null || v === '') return;
    if (!/^-?\d+$/.test(v)) errs.push(fieldError.invalid(name, v, 'must be an integer'));
    else if (Number(v) < min) errs.push(fieldError.invalid(name, Number(v), detail));
  };
  int('tailLines', 0, 'must be greater than or equal to 0');
  int('limitBytes', 1, 'must be greater than 0');
  int('sinceSeconds', 1, 'must be greater than 0');
  const sinceTime = q.get('sinceTime');
  if (sinceTime && Number.isNaN(Date.parse(sinceTime))) errs.push(fieldError.invalid('sinceTime', sinceTime, 'must be an RFC3339 time'));
  if (sinceTime && q.get('sinceSeconds')) errs.push(fieldError.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  for (const b of ['follow', 'previous', 'timestamps', 'insecureSkipTLSVerifyBackend']) {
    const v = q.get(b);
    if (v !== null && !['', 'true', 'false', '1', '0'].includes(v)) errs.push(fieldError.invalid(b, v, 'must be a boolean'));
  }
  const stream = q.get('stream');
  if (stream && !['All', 'Stdout', 'Stderr'].includes(stream)) errs.push(fieldError.notSupported('stream', stream, ['All', 'Stderr', 'Stdout']));
  if (stream && stream !== 'All' && q.get('tailLines')) errs.push(fieldError.forbidden('', '`tailLines` and specific `stream` are mutually exclusive for now'));
  return errs;
}

const truthy = (v: string | null) => v === 'true' || v === '1' || v === '';
const enc = encodeURIComponent;

/** The kubelet path of `pods/log`, with the query upstream sends. */
export function logPath(pod: KubeObject, container: string, q: URLSearchParams): string {
  const p = pod as PodShape;
  const out = new URLSearchParams();
  for (const b of ['follow', 'previous', 'timestamps']) if (q.has(b) && truthy(q.get(b))) out.set(b, 'true');
  for (const n of ['sinceSeconds', 'tailLines', 'limitBytes']) {
    const v = q.get(n);
    if (v) out.set(n, v);
  }
  const sinceTime = q.get('sinceTime');
  if (sinceTime) out.set('sinceTime', new Date(Date.parse(sinceTime)).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const stream = q.get('stream');
  if (stream && stream !== 'All') out.set('stream', stream);
  const qs = out.toString();
  return `/containerLogs/${enc(p.metadata!.namespace!)}/${enc(p.metadata!.name!)}/${enc(container)}${qs ? `?${qs}` : ''}`;
}

/** The kubelet path of `pods/exec` or `pods/attach` (flags as "1", repeated `command`). */
export function streamPath(kind: 'exec' | 'attach', pod: KubeObject, container: string, q: URLSearchParams): string {
  const p = pod as PodShape;
  const out = new URLSearchParams();
  for (const f of ['stdin', 'stdout', 'stderr', 'tty']) if (q.has(f) && truthy(q.get(f))) out.append(f, '1');
  if (kind === 'exec') {
    const cmd = q.getAll('command');
    if (!cmd.length) throw errors.badRequest('you must specify at least 1 command');
    for (const c of cmd) out.append('command', c);
  }
  if (!out.has('stdin') && !out.has('stdout') && !out.has('stderr')) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return `/${kind}/${enc(p.metadata!.namespace!)}/${enc(p.metadata!.name!)}/${enc(container)}?${out.toString()}`;
}

/** The kubelet path of `pods/portforward` (`ports` passed on when given). */
export function portForwardPath(pod: KubeObject, q: URLSearchParams): string {
  const p = pod as PodShape;
  const ports = q.getAll('ports').flatMap((s) => s.split(',')).filter(Boolean);
  for (const port of ports) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw errors.badRequest(`invalid port: ${port}`);
  }
  const qs = ports.length ? `?port=${ports.join(',')}` : '';
  return `/portForward/${enc(p.metadata!.namespace!)}/${enc(p.metadata!.name!)}${qs}`;
}
