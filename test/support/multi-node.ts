// Several real nodes on one machine for end-to-end tests (root): a `capstan server` child in the
// root network namespace (scheduler and controller manager, no in-process agent) reachable on
// the test network's gateway address, and one `capstan agent` child per node, each in a network
// namespace of its own on the harness's test bridge (see multi-node-network.ts), running the
// kubelet over conmon + runc with the built-in pod network, the node routes and whatever roles
// the agent runs. Tests therefore cross a real (virtual) network: pod → capstan0 → node eth0 →
// bridge → other node → its pod.
//
// How several kubelets share one host without colliding:
// - Agents enter their node's namespace with `nsenter --net` only. `ip netns exec` would also
//   remount /sys in a private mount namespace, hiding /sys/fs/cgroup (runc needs it) and keeping
//   the kubelet's mounts (rootfs, volumes, namespace files) from the host and from killall.
// - Per node: data dir (runtime state, image store, CNI results and IPAM), run dir (≤ 27 bytes:
//   namespace files, sockets), logs root. Pod cgroups are per pod uid, so they never collide.
// - Per namespace, so the defaults are fine: the kubelet port 10250, the pod bridge capstan0, the
//   portmap and proxy rules, routes, the nft table ip capstan-node.
//
// The busybox image (Debian's busybox-static) is imported per node from an air-gap archive as
// `example.com/busybox:v1`. `stop()` terminates the agents and the server, runs `capstan killall`
// inside each node's namespace, deletes the namespaces and links, and removes the temp dirs; an
// exit/signal hook does the same synchronously if the test process dies first.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnServer, tempDir, type ServerProcess } from './server.js';
import { buildBusyboxImage, saveArchive } from './registry.js';
import { kubectl, type Kubectl } from './kubectl.js';
import { poll } from './poll.js';
import { createTestNetwork, sh, type TestNetwork } from './multi-node-network.js';

export const BUSYBOX = 'example.com/busybox:v1';
const CAPSTAN = join(REPO_ROOT, 'bin', 'capstan');

/** A process started inside a node's network namespace. */
export interface NodeProcess {
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  logs(): string;
  exited: Promise<number | null>;
  /** SIGTERM, SIGKILL after `graceMs` (default 20 s); resolves with the exit code. Safe to call twice. */
  terminate(graceMs?: number): Promise<number | null>;
}

export interface ClusterNode {
  /** The Node's name: node-<i>. */
  name: string;
  index: number;
  /** Its network namespace (`ip netns` name); run host commands there with `ip -n <netns>` or `cluster.inNode`. */
  netns: string;
  /** Its InternalIP on the test network. */
  ip: string;
  dataDir: string;
  runDir: string;
  logsRoot: string;
  /** The running agent (replaced by restartAgent). */
  agent: NodeProcess;
  /** Restarts the agent process, keeping its state. */
  restartAgent(): Promise<void>;
}

export interface MultiNodeCluster {
  server: ServerProcess;
  network: TestNetwork;
  /** The address the server is reached on from the nodes (the root namespace's test-network address). */
  gatewayIP: string;
  clusterCIDR: string;
  nodes: ClusterNode[];
  /** kubectl 1.33 against the server. */
  kubectl: Kubectl;
  kubectlVersion(version: string): Kubectl;
  /** Runs a command inside a node's network namespace (host mounts and pids, the node's network). */
  inNode(node: ClusterNode | number, file: string, args: readonly string[]): Promise<string>;
  /** Waits for a pod to be Running and returns it (parsed JSON). */
  waitForPodRunning(name: string, namespace?: string, timeoutMs?: number): Promise<PodJSON>;
  /** Everything the agents and the server logged (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export interface PodJSON {
  metadata: { name: string; namespace: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; hostIP?: string };
}

export interface MultiNodeOptions {
  /** Number of nodes (default 2). */
  nodes?: number;
  /** Default 10.42.0.0/16 (everything lives in namespaces of the harness, so the default does not clash). */
  clusterCIDR?: string;
  /** Extra `capstan server` flags. */
  serverArgs?: string[];
  /** Extra `capstan agent` flags, for every node or per node index. */
  agentArgs?: string[] | ((index: number, network: TestNetwork) => string[]);
  /** Node labels per node index (`--node-labels`). */
  nodeLabels?: (index: number) => Record<string, string>;
  /** Give the nodes a default route via the gateway (default false). */
  defaultRoute?: boolean;
}

const live = new Set<() => void>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const all = () => { for (const f of [...live]) f(); };
  process.once('exit', all);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      all();
      process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
    });
  }
}

function spawnInNetns(netns: string, args: string[]): NodeProcess {
  // nsenter execs the command after joining the namespace: the child's pid is the agent's.
  const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', process.execPath, CAPSTAN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { stderr += d; });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => { exitCode = code; r(code); }));
  return {
    child, exited, logs: () => stderr,
    async terminate(graceMs = 20_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try { return await exited; } finally { clearTimeout(timer); }
    },
  };
}

/** Removes the (empty) pod-level cgroups `kubepods[/<qos>]/pod<uid>` of these pods in every hierarchy. */
function removePodCgroups(uids: readonly string[]): void {
  if (!uids.length) return;
  let hierarchies: string[] = [];
  try { hierarchies = readdirSync('/sys/fs/cgroup'); } catch { return; }
  for (const h of hierarchies) {
    for (const uid of uids) {
      for (const qos of ['', 'burstable/', 'besteffort/']) {
        try { rmdirSync(`/sys/fs/cgroup/${h}/kubepods/${qos}pod${uid}`); } catch { /* absent, or not ours to empty */ }
      }
    }
  }
}

export async function startMultiNodeCluster(o: MultiNodeOptions = {}): Promise<MultiNodeCluster> {
  hookExit();
  const count = o.nodes ?? 2;
  const clusterCIDR = o.clusterCIDR ?? '10.42.0.0/16';
  const dir = tempDir('capstan-mnode-');
  const cache = tempDir('capstan-kubectl-');
  let network: TestNetwork | undefined;
  let server: ServerProcess | undefined;
  const nodes: ClusterNode[] = [];
  let image: Awaited<ReturnType<typeof buildBusyboxImage>> | undefined;
  const killallArgs = (n: ClusterNode) => ['killall', '--data-dir', n.dataDir, '--run-dir', n.runDir];
  const cleanupSync = () => {
    live.delete(cleanupSync);
    for (const n of nodes) n.agent.child.kill('SIGKILL');
    server?.child.kill('SIGKILL');
    for (const n of nodes) {
      try { execFileSync('nsenter', [`--net=/run/netns/${n.netns}`, '--', process.execPath, CAPSTAN, ...killallArgs(n)], { stdio: 'ignore', timeout: 60_000 }); } catch { /* best effort */ }
    }
    network?.destroySync();
    rmSync(dir.path, { recursive: true, force: true });
    rmSync(cache.path, { recursive: true, force: true });
  };
  live.add(cleanupSync);
  const stop = async () => {
    live.delete(cleanupSync);
    // killall removes the containers' cgroups but not the kubelet's pod-level ones: note the pods now, remove those after.
    const podUIDs = server ? (await kubectl('1.33', server.kubeconfig, cache.path)(['get', 'pods', '-A', '-o', 'jsonpath={.items[*].metadata.uid}'])).stdout.split(/\s+/).filter(Boolean) : [];
    await Promise.all(nodes.map((n) => n.agent.terminate().catch(() => undefined)));
    await server?.terminate().catch(() => undefined);
    for (const n of nodes) {
      await sh('nsenter', [`--net=/run/netns/${n.netns}`, '--', process.execPath, CAPSTAN, ...killallArgs(n)])
        .catch((e: unknown) => process.stderr.write(`killall on ${n.name}: ${(e as Error).message}\n`));
    }
    removePodCgroups(podUIDs);
    await network?.destroy();
    await image?.cleanup().catch(() => undefined);
    dir.remove();
    cache.remove();
  };
  const allLogs = () => [
    ...nodes.map((n) => `--- agent ${n.name} ---\n${n.agent.logs()}`),
    `--- server ---\n${server?.logs() ?? ''}`,
  ].join('\n');
  try {
    network = await createTestNetwork({ nodes: count, defaultRoute: o.defaultRoute });
    const net = network;
    image = await buildBusyboxImage({ tag: 'v1' });
    server = await spawnServer(join(dir.path, 'server'), 0, [
      '--bind-address', '0.0.0.0', '--advertise-address', net.gatewayIP, '--tls-san', net.gatewayIP,
      '--cluster-cidr', clusterCIDR, ...(o.serverArgs ?? []),
    ]);
    const token = readFileSync(join(dir.path, 'server', 'token'), 'utf8').trim();
    for (let i = 0; i < count; i++) {
      const link = net.nodes[i]!;
      const dataDir = join(dir.path, `node-${i}`);
      const logsRoot = join(dataDir, 'logs');
      const runDir = `/run/capt-${process.pid}-${i}`;
      mkdirSync(join(dataDir, 'agent', 'images'), { recursive: true });
      await saveArchive('docker-archive', image.ref, join(dataDir, 'agent', 'images', 'busybox.tar'), BUSYBOX);
      const labels = o.nodeLabels?.(i) ?? {};
      const extra = typeof o.agentArgs === 'function' ? o.agentArgs(i, net) : o.agentArgs ?? [];
      const args = [
        'agent', '--container-runtime', 'runc', '--server', `https://${net.gatewayIP}:${server.port}`, '--token', token,
        '--data-dir', dataDir, '--node-name', `node-${i}`, '--node-ip', link.ip, '--run-dir', runDir, '--pod-logs-root', logsRoot,
        '--cluster-cidr', clusterCIDR,
        ...(Object.keys(labels).length ? ['--node-labels', Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')] : []),
        ...extra,
      ];
      const node: ClusterNode = {
        name: `node-${i}`, index: i, netns: link.netns, ip: link.ip, dataDir, runDir, logsRoot,
        agent: spawnInNetns(link.netns, args),
        async restartAgent() {
          await node.agent.terminate();
          node.agent = spawnInNetns(link.netns, args);
          await poll(`${node.name} registered again`, async () => node.agent.logs(), (l) => /ready: node \S+ registered/.test(l), 60_000);
        },
      };
      nodes.push(node);
    }
    const k = kubectl('1.33', server.kubeconfig, cache.path);
    await poll(`${count} nodes Ready`, async () => (await k.ok(['get', 'nodes', '--no-headers'])), (out) => {
      const ready = out.split('\n').filter((l) => /^node-\d+\s+Ready\s/.test(l));
      return ready.length === count;
    }, 120_000, 500);
    const s = server;
    return {
      server: s, network: net, gatewayIP: net.gatewayIP, clusterCIDR, nodes,
      kubectl: k,
      kubectlVersion: (version) => kubectl(version, s.kubeconfig, cache.path),
      inNode: (n, file, args) => sh('nsenter', [`--net=/run/netns/${(typeof n === 'number' ? nodes[n]! : n).netns}`, '--', file, ...args]),
      async waitForPodRunning(name, namespace = 'default', timeoutMs = 120_000) {
        const out = await poll(`pod ${namespace}/${name} Running`, async () => JSON.parse(await k.ok(['get', 'pod', name, '-n', namespace, '-o', 'json'])) as PodJSON,
          (p) => p.status.phase === 'Running' && !!p.status.podIP, timeoutMs, 300);
        return out;
      },
      logs: allLogs,
      stop,
    };
  } catch (e) {
    process.stderr.write(`multi-node cluster failed to start:\n${allLogs()}\n`);
    await stop();
    throw e;
  }
}
