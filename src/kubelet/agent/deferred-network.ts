// The pod network before the node has its pod CIDR: the runtime is built at start (the node
// reports its version), but the CNI network needs `spec.podCIDR`, which node IPAM assigns only
// after registration. Calls wait until `set` supplies the real network.
import type { PodNetwork, PodNetworkRequest } from '../../runtime/index.js';

export class DeferredPodNetwork implements PodNetwork {
  private network?: PodNetwork;
  private readonly ready: Promise<PodNetwork>;
  private resolve!: (n: PodNetwork) => void;

  constructor() {
    this.ready = new Promise((r) => { this.resolve = r; });
  }

  /** Supplies the network; later calls go straight to it. Call once. */
  set(network: PodNetwork): void {
    this.network = network;
    this.resolve(network);
  }

  get isSet(): boolean {
    return this.network !== undefined;
  }

  async setUp(request: PodNetworkRequest): Promise<{ ips: string[] }> {
    return (this.network ?? await this.ready).setUp(request);
  }

  async tearDown(request: PodNetworkRequest): Promise<void> {
    return (this.network ?? await this.ready).tearDown(request);
  }
}
