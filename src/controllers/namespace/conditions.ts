// The namespace's deletion conditions (upstream namespace/deletion/status_condition_utils.go):
// the same five types, reasons and messages, each present once deletion began, False when that
// step went well. Pure: the deleter reports what happened; these functions word it.
export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

export type NamespaceConditionType = typeof CONDITION_TYPES[number];

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What one pass of deleting a namespace's content found. */
export interface DeletionReport {
  /** `groupVersion: error` per group version discovery failed for. */
  discoveryFailures: string[];
  /** Errors deleting content, one message per resource. */
  contentFailures: string[];
  /** Items left per group resource (`pods.`, `deployments.apps`, as upstream's GroupResource.String()). */
  remaining: Map<string, number>;
  /** Items left per finalizer they carry. */
  finalizers: Map<string, number>;
}

const OK: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

function counts(m: Map<string, number>, word: string): string {
  return [...m].filter(([, n]) => n > 0).map(([k, n]) => `${k} ${word} ${n} resource instances`).sort().join(', ');
}

/** The five conditions for `report`, without transition times. */
export function deletionConditions(report: DeletionReport): NamespaceCondition[] {
  const failed: Partial<Record<NamespaceConditionType, { reason: string; message: string }>> = {};
  if (report.discoveryFailures.length) {
    failed.NamespaceDeletionDiscoveryFailure = { reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${report.discoveryFailures.length} failing: ${report.discoveryFailures.join(', ')}` };
  }
  if (report.contentFailures.length) {
    failed.NamespaceDeletionContentFailure = { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${report.contentFailures.length} remaining: ${report.contentFailures.join(', ')}` };
  }
  const remaining = counts(report.remaining, 'has');
  if (remaining) failed.NamespaceContentRemaining = { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining}` };
  const finalizers = counts(report.finalizers, 'in');
  if (finalizers) failed.NamespaceFinalizersRemaining = { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${finalizers}` };
  return CONDITION_TYPES.map((type) => {
    const f = failed[type];
    return f ? { type, status: 'True', ...f } : { type, status: 'False', ...OK[type] };
  });
}

/**
 * `existing` with `next` merged in: a condition keeps its lastTransitionTime while its status
 * stays, other condition types are kept as they are. Returns undefined when nothing changed.
 */
export function mergeConditions(existing: readonly NamespaceCondition[], next: readonly NamespaceCondition[], now: string): NamespaceCondition[] | undefined {
  let changed = false;
  const out = existing.filter((c) => !next.some((n) => n.type === c.type));
  for (const n of next) {
    const old = existing.find((c) => c.type === n.type);
    if (old && old.status === n.status && old.reason === n.reason && old.message === n.message) {
      out.push(old);
      continue;
    }
    changed = true;
    out.push({ ...n, lastTransitionTime: old && old.status === n.status ? old.lastTransitionTime : now });
  }
  return changed ? out : undefined;
}
