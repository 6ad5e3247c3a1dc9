// The node lease heartbeat (upstream's nodelease controller): update the Lease with the last
// resourceVersion seen; create it when missing; on a conflict or a deletion forget it so the
// next renewal reads (or recreates) it. Shared by the node agent and the hollow nodes.
import type { Lease } from '../../api/index.js';
import { isStatusError } from '../../api/light.js';
import type { ResourceClient } from '../../client/index.js';
import { buildNodeLease, NODE_LEASE_NAMESPACE, renewedLease } from './node-object.js';

/** Per-node memory of the Lease; `renewNodeLease` is its only writer. */
export interface LeaseState { lease?: Lease }

/**
 * One renewal at `now`. Throws the API error when it failed (the caller retries); never runs
 * concurrently for the same node (callers serialise per node).
 */
export async function renewNodeLease(leases: ResourceClient, state: LeaseState, nodeName: string, nodeUID: string, now: number): Promise<void> {
  if (!state.lease) {
    try {
      state.lease = await leases.create(NODE_LEASE_NAMESPACE, buildNodeLease(nodeName, nodeUID, now)) as Lease;
      return;
    } catch (e) {
      if (!isStatusError(e) || e.code !== 409) throw e;
      state.lease = await leases.get(NODE_LEASE_NAMESPACE, nodeName) as Lease;
    }
  }
  try {
    state.lease = await leases.update(NODE_LEASE_NAMESPACE, renewedLease(state.lease, nodeName, now)) as Lease;
  } catch (e) {
    // Changed or deleted by someone else: read (or recreate) on the retry.
    if (isStatusError(e) && (e.code === 409 || e.code === 404)) state.lease = undefined;
    throw e;
  }
}
