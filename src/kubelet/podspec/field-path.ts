// The downward API values (env fieldRef/resourceFieldRef and downwardAPI volume files): upstream
// fieldpath.ExtractFieldPathAsString, podFieldSelectorRuntimeValue and
// resource.ExtractContainerResourceValue. Pure; errors carry upstream's messages.
import { quantityToMilli, quantityValue, isZeroQuantity } from '../../api/light.js';
import type { Pod } from '../../api/index.js';
import type { Container } from './spec-types.js';

/** Upstream FormatMap: `key="value"` lines, keys sorted (Go %q quoting). */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** Upstream ExtractFieldPathAsString over a pod (metadata fields only). */
export function extractFieldPathAsString(pod: Pod, fieldPath: string): string {
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) {
    const m = sub[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return m?.[sub[2]!] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.annotations': return formatMap(pod.metadata?.annotations);
    case 'metadata.labels': return formatMap(pod.metadata?.labels);
    case 'metadata.name': return pod.metadata?.name ?? '';
    case 'metadata.namespace': return pod.metadata?.namespace ?? '';
    case 'metadata.uid': return pod.metadata?.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** Upstream podFieldSelectorRuntimeValue: spec and status fields, then the metadata ones. */
export function podFieldValue(pod: Pod, fieldPath: string, hostIPs: string[], podIPs: string[]): string {
  switch (fieldPath) {
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      if (hostIPs.length === 0) throw new Error('failed to find node IP');
      return hostIPs[0]!;
    case 'status.hostIPs': return hostIPs.join(',');
    case 'status.podIP': return podIPs[0] ?? '';
    case 'status.podIPs': return podIPs.join(',');
  }
  return extractFieldPathAsString(pod, fieldPath);
}

const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

/** Upstream MergeContainerResourceLimits: limits the container leaves unset become the node's allocatable. */
export function withDefaultLimits(container: Container, allocatable: Record<string, string>): Container {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  for (const r of DEFAULTED_LIMITS) {
    if (limits[r] === undefined && allocatable[r] !== undefined) limits[r] = allocatable[r];
  }
  return { ...container, resources: { ...(container.resources ?? {}), limits } };
}

/**
 * Upstream ExtractContainerResourceValue: `requests.cpu`, `limits.memory`, … of the container
 * (limits already defaulted by the caller), in units of `divisor` rounded up.
 */
export function containerResourceValue(resource: string, divisor: string | undefined, container: Container): string {
  const div = divisor === undefined || isZeroQuantity(divisor) ? '1' : divisor;
  const [kind, name] = splitOnce(resource);
  const list = kind === 'limits' ? container.resources?.limits : kind === 'requests' ? container.resources?.requests : undefined;
  if (list !== undefined || kind === 'limits' || kind === 'requests') {
    const q = list?.[name] ?? '0';
    if (name === 'cpu') return String(Math.ceil(quantityToMilli(q) / quantityToMilli(div)));
    if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) {
      return String(Math.ceil(quantityValue(q) / quantityValue(div)));
    }
  }
  throw new Error(`unsupported container resource : ${resource}`);
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('.');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** Upstream ExtractResourceValueByContainerName…AndNodeAllocatable (downwardAPI volume files). */
export function podContainerResourceValue(pod: Pod, containerName: string, resource: string, divisor: string | undefined, allocatable: Record<string, string>): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === containerName);
  if (!c) throw new Error(`container ${containerName} not found`);
  return containerResourceValue(resource, divisor, withDefaultLimits(c, allocatable));
}
