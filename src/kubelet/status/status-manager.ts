// Upstream status manager: writes a pod's status through a merge patch on pods/status only when it
// differs from what was last written (or what the API shows), and confirms a graceful deletion
// once the pod's containers are stopped and its sandbox and volumes are gone (DELETE with
// gracePeriodSeconds=0 and the pod's uid as precondition). Called by pod workers, one at a time
// per pod.
import type { KubeObject, Pod, PodStatus } from '../../api/index.js';
import { isStatusError, jsonEqual } from '../../api/light.js';
import type { ResourceClient } from '../../client/index.js';

export class StatusManager {
  private readonly written = new Map<string, PodStatus>();
  /** Status writes made (for tests and metrics). */
  writes = 0;

  constructor(private readonly pods: ResourceClient) {}

  /** The status last written for the pod (or undefined). */
  lastWritten(uid: string): PodStatus | undefined {
    return this.written.get(uid);
  }

  /** Writes `status` unless unchanged; true when it wrote. A pod gone from the API is not an error. */
  async setStatus(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata?.uid ?? '';
    const old = this.written.get(uid) ?? pod.status ?? {};
    if (jsonEqual(old, status)) return false;
    // Merge patch: fields the new status drops are deleted with null.
    const patch: Record<string, unknown> = { ...status };
    for (const k of Object.keys(pod.status ?? {})) if (!(k in status) && k !== 'nominatedNodeName') patch[k] = null;
    try {
      await this.pods.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'merge', { status: patch } as KubeObject, 'status');
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return false;
      throw e;
    }
    this.written.set(uid, status);
    this.writes++;
    return true;
  }

  /** The kubelet's last step of a graceful deletion. Idempotent: a pod already gone (or replaced) is fine. */
  async confirmDeletion(pod: Pod): Promise<void> {
    const { namespace = '', name = '', uid } = pod.metadata ?? {};
    try {
      await this.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (e) {
      if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
    }
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}
