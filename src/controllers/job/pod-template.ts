// The pods a Job creates (upstream GetPodFromTemplate + the job controller's additions): the
// template's metadata and spec, a controller reference to the Job, the job-tracking finalizer
// (pods are counted in status before it is removed, so a deleted pod is never lost), and in
// Indexed mode the completion index as annotation, label, hostname `<job>-<index>` and the
// JOB_COMPLETION_INDEX environment variable.
import type { Job, KubeObject } from '../../api/index.js';
import { newControllerRef } from '../owner-refs.js';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_INDEX_LABEL } from './indexes.js';

/** Upstream batchv1.JobTrackingFinalizer. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_API_VERSION = 'batch/v1';
export const JOB_KIND = 'Job';

type Container = { env?: { name: string; value?: string; valueFrom?: unknown }[] } & Record<string, unknown>;

export function podFromJob(job: Job, index?: number): KubeObject {
  const tmpl = job.spec?.template ?? {};
  const meta = tmpl.metadata ?? {};
  const name = job.metadata?.name ?? '';
  const labels: Record<string, string> = { ...meta.labels };
  const annotations: Record<string, string> = { ...meta.annotations };
  const spec = structuredClone(tmpl.spec ?? {}) as Record<string, unknown> & { containers?: Container[]; initContainers?: Container[]; hostname?: string };
  if (index !== undefined) {
    annotations[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[JOB_INDEX_LABEL] = String(index);
    spec.hostname ??= `${name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      if (!(c.env ?? []).some((e) => e.name === env.name)) c.env = [...(c.env ?? []), env];
    }
  }
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata?.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      finalizers: [...(meta.finalizers ?? []), JOB_TRACKING_FINALIZER],
      ownerReferences: [newControllerRef(job, JOB_API_VERSION, JOB_KIND)],
    },
    spec,
  } as KubeObject;
}

/** Strategic merge patch dropping the tracking finalizer (upstream removeTrackingFinalizerPatch). */
export function removeTrackingFinalizerPatch(uid: string | undefined): object {
  return { metadata: { uid, '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } };
}
