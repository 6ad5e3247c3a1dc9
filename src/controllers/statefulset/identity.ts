// A StatefulSet pod's stable identity and storage (upstream stateful_set_utils.go): the pod of
// ordinal i is `<set>-<i>` with hostname `<set>-<i>` and subdomain `serviceName`, labelled with
// its name and index; each volumeClaimTemplate gives it the claim `<claim>-<set>-<i>`, mounted as
// the volume named after the template. Pure.
import type { KubeObject, Pod, PodSpec, StatefulSet } from '../../api/index.js';
import { POD_REVISION_LABEL } from '../history/index.js';
import { newControllerRef } from '../owner-refs.js';

/** Upstream apps.StatefulSetPodNameLabel and apps.PodIndexLabel. */
/** A claim template and the claims made from it (core/v1 PersistentVolumeClaim). */
export type PersistentVolumeClaim = NonNullable<NonNullable<StatefulSet['spec']>['volumeClaimTemplates']>[number];

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** Upstream getParentNameAndOrdinal: the ordinal of a pod named `<set>-<n>`, or -1. */
export function ordinalOf(set: StatefulSet, pod: Pod): number {
  const m = /^(.*)-(\d+)$/.exec(pod.metadata?.name ?? '');
  if (!m || m[1] !== set.metadata?.name) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : -1;
}

/** Upstream isMemberOf: the pod's name says it belongs to this set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return ordinalOf(set, pod) >= 0;
}

/** Upstream getPersistentVolumeClaimName. */
export function claimName(set: StatefulSet, template: string, ordinal: number): string {
  return `${template}-${set.metadata?.name ?? ''}-${ordinal}`;
}

/** Upstream getPersistentVolumeClaims: the claims ordinal `ordinal` needs, labelled with the selector's matchLabels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const claim = structuredClone(t) as PersistentVolumeClaim;
    delete (claim as { status?: unknown }).status;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...claim.metadata,
      name: claimName(set, t.metadata?.name ?? '', ordinal),
      namespace: set.metadata?.namespace,
      labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
    };
    return claim;
  });
}

/** Upstream updateStorage: each claim template's volume points at this ordinal's claim. */
function withStorage(set: StatefulSet, spec: PodSpec, ordinal: number): void {
  const templates = set.spec?.volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const names = new Set(templates.map((t) => t.metadata?.name ?? ''));
  const volumes = (spec.volumes ?? []).filter((v) => !names.has(v.name ?? ''));
  for (const t of templates) {
    const name = t.metadata?.name ?? '';
    volumes.push({ name, persistentVolumeClaim: { claimName: claimName(set, name, ordinal) } });
  }
  spec.volumes = volumes;
}

/**
 * Upstream newStatefulSetPod + setPodRevision: the pod of `ordinal` from `template` (the update
 * or current revision's), with its identity, storage, revision label and a controller reference.
 */
export function newStatefulSetPod(set: StatefulSet, template: unknown, ordinal: number, revisionName: string): KubeObject {
  const tmpl = (template ?? {}) as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: PodSpec };
  const meta = tmpl.metadata ?? {};
  const name = podName(set, ordinal);
  const spec = structuredClone(tmpl.spec ?? { containers: [] }) as PodSpec;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  withStorage(set, spec, ordinal);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace,
      labels: { ...meta.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [POD_REVISION_LABEL]: revisionName },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  } as KubeObject;
}
