// The state one hollow kubelet keeps about its node and pods. Mutated only by HollowNodes'
// workers (one key at a time per pod/node, as the work queue guarantees).
import type { Lease } from '../../api/index.js';
import type { ContainerRuntime } from '../../runtime/index.js';
import { hollowNodeIP, hollowPodCIDR, type NodeCondition } from './node-object.js';

/** What the kubelet remembers about a pod it runs (keyed `ns/name`). */
export interface PodRecord {
  uid: string;
  /** When the kubelet first saw the pod bound here, ms since the epoch. */
  firstSeen: number;
  ip?: string;
  sandboxId?: string;
  /** Runtime container ids by container name. */
  containerIds: Map<string, string>;
}

export class HollowNode {
  /** Set once the Node exists in the API (created or adopted). */
  uid = '';
  registered = false;
  /** Killed: no lease renewals, no status updates, no pod work (looks dead to controllers). */
  killed = false;
  /** The last Lease read or written (its resourceVersion guards the next renewal). */
  lease?: Lease;
  /** Conditions as last written, to keep lastTransitionTime stable. */
  conditions: NodeCondition[] = [];
  /** When the status was last reported, ms since the epoch. */
  lastStatusAt = 0;
  /** Set after a revive: read the Node before reporting status again. */
  statusStale = false;
  readonly pods = new Map<string, PodRecord>();
  private podCIDR: string;
  private readonly usedIPs = new Set<string>();
  private nextHost = 2;

  /** The node's InternalIP, reported as pods' hostIP. */
  readonly hostIP: string;

  constructor(readonly name: string, readonly index: number, readonly runtime: ContainerRuntime) {
    this.podCIDR = hollowPodCIDR(index);
    this.hostIP = hollowNodeIP(index);
  }

  /** Adopts the Node's spec.podCIDR (IPv4) when the control plane assigned one. */
  usePodCIDR(cidr: string | undefined): void {
    if (cidr && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr) && cidr !== this.podCIDR) this.podCIDR = cidr;
  }

  /** A free address in the pod range (.2 to .254 of its first /24); throws when exhausted. */
  allocateIP(): string {
    const [a, b, c] = this.podCIDR.split('/')[0]!.split('.');
    for (let tries = 0; tries < 253; tries++) {
      const ip = `${a}.${b}.${c}.${this.nextHost}`;
      this.nextHost = this.nextHost >= 254 ? 2 : this.nextHost + 1;
      if (!this.usedIPs.has(ip)) {
        this.usedIPs.add(ip);
        return ip;
      }
    }
    throw new Error(`node ${this.name}: no free pod IP in ${this.podCIDR}`);
  }

  /** Marks an address in use (a pod adopted after a restart of the simulator). */
  reserveIP(ip: string): void {
    this.usedIPs.add(ip);
  }

  releaseIP(ip: string | undefined): void {
    if (ip) this.usedIPs.delete(ip);
  }
}
