// The virtual network of the multi-node harness (root only): one "switch" network namespace
// holding a Linux bridge, one network namespace per node with an `eth0` veth plugged into that
// bridge, and one veth from the root namespace into the bridge carrying the gateway address
// 172.30.<k>.1/24, the address the test's `capstan server` is reached on. Nodes are
// 172.30.<k>.(10+i)/24.
//
// Why the bridge is not in the root namespace: these hosts run with br_netfilter on
// (net.bridge.bridge-nf-call-iptables=1), so frames bridged in the root namespace would cross the
// host's FORWARD chain and conntrack; a host with FORWARD DROP would silently drop node-to-node
// traffic. In a namespace of our own the bridge sees no host rule (and br_netfilter is turned
// off there); the root namespace only ever sends and receives its own packets (no forwarding).
// Nodes get no default route unless asked for, so nothing they send can leave the test network.
//
// Names carry the test process's pid, and <k> is chosen so no host address or route uses
// 172.30.<k>.0/24, so test files run side by side. `destroy()` (and, should the test process die,
// `destroySync()` from an exit hook) removes every namespace and link this made.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export async function sh(file: string, args: readonly string[]): Promise<string> {
  try {
    return (await execFileAsync(file, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

export interface TestNodeLink {
  /** The node's network namespace (`ip netns` name; its file is /run/netns/<netns>). */
  netns: string;
  /** The node's address on the test network (its InternalIP). */
  ip: string;
}

export interface TestNetwork {
  /** The third octet k of 172.30.k.0/24. */
  k: number;
  subnet: string;
  /** The root namespace's address on the test network (where the server listens). */
  gatewayIP: string;
  /** The root namespace's end of the uplink veth. */
  hostLink: string;
  /** The namespace holding the bridge. */
  switchNetns: string;
  nodes: TestNodeLink[];
  destroy(): Promise<void>;
  destroySync(): void;
}

/** A free k in 172.30.k.0/24, starting from one derived from the pid. */
async function pickSubnet(): Promise<number> {
  const used = (await sh('ip', ['-4', '-o', 'addr', 'show'])) + (await sh('ip', ['-4', 'route', 'show', 'table', 'all']));
  for (let i = 0; i < 200; i++) {
    const k = 20 + ((process.pid + i * 7) % 200);
    if (!used.includes(`172.30.${k}.`)) return k;
  }
  throw new Error('no free 172.30.k.0/24 for the test network');
}

export interface TestNetworkOptions {
  nodes: number;
  /** Give each node a default route via the gateway (default false: nothing can leave the test network). */
  defaultRoute?: boolean;
  /** The Services' range, routed to a dummy device on each node (default 10.43.0.0/16). */
  serviceCIDR?: string;
}

export async function createTestNetwork(o: TestNetworkOptions): Promise<TestNetwork> {
  const tag = String(process.pid);
  const switchNetns = `capt-sw-${tag}`;
  const hostLink = `cptmn${tag}`.slice(0, 15);
  const nodes: TestNodeLink[] = [];
  const netnsMade: string[] = [];
  let hostLinkMade = false;
  const destroySync = () => {
    for (const ns of [...netnsMade].reverse()) {
      try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
    }
    netnsMade.length = 0;
    // Deleting the switch namespace deletes the uplink's peer and so the uplink; this is for a half-made network.
    if (hostLinkMade) {
      try { execFileSync('ip', ['link', 'del', hostLink], { stdio: 'ignore' }); } catch { /* already gone */ }
      hostLinkMade = false;
    }
  };
  const destroy = async () => destroySync();
  try {
    const k = await pickSubnet();
    const gatewayIP = `172.30.${k}.1`;
    const inSwitch = (args: string[]) => sh('ip', ['-n', switchNetns, ...args]);
    await sh('ip', ['netns', 'add', switchNetns]);
    netnsMade.push(switchNetns);
    await inSwitch(['link', 'set', 'lo', 'up']);
    await inSwitch(['link', 'add', 'br0', 'type', 'bridge']);
    await inSwitch(['link', 'set', 'br0', 'up']);
    for (const family of ['iptables', 'ip6tables', 'arptables']) {
      await sh('ip', ['netns', 'exec', switchNetns, 'sysctl', '-qw', `net.bridge.bridge-nf-call-${family}=0`]).catch(() => undefined);
    }
    await sh('ip', ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', 'uplink', 'netns', switchNetns]);
    hostLinkMade = true;
    await inSwitch(['link', 'set', 'uplink', 'master', 'br0', 'up']);
    await sh('ip', ['addr', 'add', `${gatewayIP}/24`, 'dev', hostLink]);
    await sh('ip', ['link', 'set', hostLink, 'up']);
    for (let i = 0; i < o.nodes; i++) {
      const netns = `capt-n${i}-${tag}`;
      const ip = `172.30.${k}.${10 + i}`;
      await sh('ip', ['netns', 'add', netns]);
      netnsMade.push(netns);
      await sh('ip', ['link', 'add', 'eth0', 'netns', netns, 'type', 'veth', 'peer', 'name', `n${i}`, 'netns', switchNetns]);
      await inSwitch(['link', 'set', `n${i}`, 'master', 'br0', 'up']);
      const inNode = (args: string[]) => sh('ip', ['-n', netns, ...args]);
      await inNode(['link', 'set', 'lo', 'up']);
      await inNode(['addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      await inNode(['link', 'set', 'eth0', 'up']);
      if (o.defaultRoute) await inNode(['route', 'add', 'default', 'via', gatewayIP]);
      // Without a default route, the node itself could not send to a Service IP (the route
      // lookup fails before the proxy's DNAT): the service range is routed to one end of a veth
      // pair whose other end stays down, so such traffic is routable here and, where no rule
      // DNATs it, goes nowhere (the kernel has no dummy devices here).
      await inNode(['link', 'add', 'svc0', 'type', 'veth', 'peer', 'name', 'svc1']);
      await inNode(['link', 'set', 'svc0', 'up']);
      await inNode(['route', 'add', o.serviceCIDR ?? '10.43.0.0/16', 'dev', 'svc0']);
      await sh('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      nodes.push({ netns, ip });
    }
    return { k, subnet: `172.30.${k}.0/24`, gatewayIP, hostLink, switchNetns, nodes, destroy, destroySync };
  } catch (e) {
    destroySync();
    throw e;
  }
}
