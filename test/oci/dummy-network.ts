// A PodNetwork for tests that needs no CNI: setUp adds a veth pair (both ends) with a fixed address
// inside the sandbox's own network namespace (nothing on the host changes), tearDown records the
// call. It checks what the runtime promises the network: a bind-mounted namespace at netnsPath.
import { execFileSync } from 'node:child_process';
import type { PodNetwork, PodNetworkRequest } from '../../src/runtime/index.js';

export class DummyNetwork implements PodNetwork {
  readonly setUps: PodNetworkRequest[] = [];
  readonly tearDowns: PodNetworkRequest[] = [];
  private next = 10;

  async setUp(request: PodNetworkRequest): Promise<{ ips: string[] }> {
    this.setUps.push(request);
    const ip = `10.99.0.${this.next++}`;
    const inNs = (...args: string[]) => execFileSync('nsenter', [`--net=${request.netnsPath}`, 'ip', ...args], { stdio: 'ignore' });
    inNs('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0peer');
    inNs('link', 'set', 'eth0peer', 'up');
    inNs('addr', 'add', `${ip}/24`, 'dev', 'eth0');
    inNs('link', 'set', 'eth0', 'up');
    return { ips: [ip] };
  }

  async tearDown(request: PodNetworkRequest): Promise<void> {
    this.tearDowns.push(request);
  }
}
