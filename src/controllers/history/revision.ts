// ControllerRevision helpers shared by the DaemonSet and StatefulSet controllers (upstream
// pkg/controller/history and each controller's getPatch/newRevision). A revision snapshots the
// owner's pod template as the patch `{"spec":{"template":{…,"$patch":"replace"}}}`, which is what
// `kubectl rollout undo` applies back; its name is `<owner>-<hash>` where the hash covers the data
// and the owner's collisionCount.
import type { ControllerRevision, KubeObject } from '../../api/index.js';
import { canonicalJSON, computeHash } from '../deployment/hash.js';
import { newControllerRef } from '../owner-refs.js';

/** Label every ControllerRevision carries (upstream history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
/** Label on DaemonSet/StatefulSet pods and revisions (upstream apps.ControllerRevisionHashLabelKey). */
export const POD_REVISION_LABEL = 'controller-revision-hash';

type Template = Record<string, unknown> & { metadata?: { labels?: Record<string, string> } };

/** Upstream getPatch: the revision data for a pod template. */
export function revisionData(template: unknown): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(structuredClone(template ?? {}) as Record<string, unknown>), $patch: 'replace' } } };
}

/** The pod template stored in a revision's data (the inverse of revisionData). */
export function templateOfRevision(rev: ControllerRevision): Template {
  const t = structuredClone(((rev.data as { spec?: { template?: Template } } | undefined)?.spec?.template) ?? {}) as Template;
  delete t.$patch;
  return t;
}

/** Upstream HashControllerRevision: FNV-32a of the data (and collisionCount), safe-encoded. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  return computeHash(data, collisionCount);
}

/** Upstream ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to fit 253 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** Upstream history.EqualRevision: same data. */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJSON(a.data) === canonicalJSON(b.data);
}

/** Upstream history.SortControllerRevisions: by revision, then creation, then name. */
export function sortRevisions(revs: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0)
    || (Date.parse(a.metadata?.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata?.creationTimestamp ?? '') || 0)
    || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0));
}

/** Upstream nextRevision: one more than the highest revision (1 for none). */
export function nextRevision(revs: readonly ControllerRevision[]): number {
  return revs.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
}

export interface RevisionOwner {
  obj: KubeObject;
  apiVersion: string;
  kind: string;
  template: unknown;
  collisionCount?: number;
  /** Extra labels on the revision besides the template's (the DaemonSet adds its hash). */
  extraLabels?(hash: string): Record<string, string>;
}

/**
 * Upstream history.NewControllerRevision: the revision object for `owner`'s current template,
 * labelled with the template labels and the hash, controlled by `owner`.
 */
export function newControllerRevision(owner: RevisionOwner, revision: number): ControllerRevision {
  const data = revisionData(owner.template);
  const hash = hashRevisionData(data, owner.collisionCount);
  const labels = { ...((owner.template as Template | undefined)?.metadata?.labels ?? {}), ...owner.extraLabels?.(hash), [CONTROLLER_REVISION_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(owner.obj.metadata?.name ?? '', hash),
      namespace: owner.obj.metadata?.namespace,
      labels,
      ownerReferences: [newControllerRef(owner.obj, owner.apiVersion, owner.kind)],
    },
    data, revision,
  } as ControllerRevision;
}

/** The hash label of a revision (its name suffix). */
export function revisionHash(rev: ControllerRevision): string {
  return rev.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

/**
 * Which revisions to delete to keep `limit` old ones (upstream cleanupHistory/truncateHistory):
 * the oldest revisions not `live` (current/update revisions, or those pods still run), first.
 */
export function revisionsToPrune(revs: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): ControllerRevision[] {
  const old = sortRevisions(revs).filter((r) => !live.has(r.metadata?.name ?? ''));
  const excess = old.length - Math.max(0, limit);
  return excess > 0 ? old.slice(0, excess) : [];
}
