// A one-node cluster with real containers for end-to-end tests (root): a `capstan server` child
// (scheduler and controller manager on their threads, no in-process agent) and a `capstan agent`
// child running the kubelet over conmon + runc, joined with the server's token. The node reports
// 127.0.0.1 as its address (the API server reaches the kubelet over loopback); the pod network
// uses a bridge and cluster CIDR of the test's own, so test files can run side by side. A busybox
// image (Debian's busybox-static) is imported from an air-gap archive as `example.com/busybox:v1`.
// `stop()` stops both processes and runs `capstan killall` for the agent's state and bridge, so
// nothing is left behind even after a failed test. The agent runs no Service proxy and no cluster
// DNS server (see below).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, spawnServer, tempDir, type ServerProcess } from './server.js';
import { spawnAgent, type AgentProcess } from './agent.js';
import { buildBusyboxImage, saveArchive } from './registry.js';
import { kubectl, type Kubectl } from './kubectl.js';
import { poll } from './poll.js';

const run = promisify(execFile);

export const BUSYBOX = 'example.com/busybox:v1';

export interface NodeCluster {
  server: ServerProcess;
  agent: AgentProcess;
  /** The agent's data dir (its state under agent/). */
  agentDir: string;
  /** Where the kubelet writes container logs (`<logsRoot>/pods/…`). */
  logsRoot: string;
  kubectl(version: string): Kubectl;
  /** Restarts the agent process (the kubelet), keeping its state. */
  restartAgent(): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeClusterOptions {
  /** Distinct per test file: the bridge name (≤ 15 chars) and a /16 for node IPAM. */
  bridge: string;
  clusterCIDR: string;
  /** Short and distinct per file: the runtime's namespace and socket dir (≤ 27 bytes). */
  runDir: string;
  agentArgs?: string[];
  /**
   * Run the agent's Service proxy and cluster DNS server too (default false: test files run side
   * by side in the host's network namespace, where they would share one nftables table and port
   * 53). For a benchmark measuring the whole agent, alone on the machine.
   */
  networkRoles?: boolean;
}

export async function startNodeCluster(o: NodeClusterOptions): Promise<NodeCluster> {
  const dir = tempDir('capstan-node-');
  const cache = tempDir('capstan-kubectl-');
  const agentDir = join(dir.path, 'node');
  const logsRoot = join(agentDir, 'logs');
  mkdirSync(join(agentDir, 'agent', 'images'), { recursive: true });
  let server: ServerProcess | undefined;
  let agent: AgentProcess | undefined;
  const image = await buildBusyboxImage({ tag: 'v1' });
  const stop = async () => {
    await agent?.terminate().catch(() => undefined);
    await server?.terminate().catch(() => undefined);
    await run(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'killall', '--data-dir', agentDir, '--run-dir', o.runDir, '--bridge', o.bridge]).catch(() => undefined);
    await image.cleanup().catch(() => undefined);
    dir.remove();
    cache.remove();
  };
  try {
    await saveArchive('docker-archive', image.ref, join(agentDir, 'agent', 'images', 'busybox.tar'), BUSYBOX);
    server = await spawnServer(join(dir.path, 'server'), 0, ['--disable-agent', '--cluster-cidr', o.clusterCIDR]);
    const token = readFileSync(join(dir.path, 'server', 'token'), 'utf8').trim();
    const args = [
      '--container-runtime', 'runc', '--server', `https://127.0.0.1:${server.port}`, '--token', token, '--data-dir', agentDir,
      '--node-name', 'node-1', '--node-ip', '127.0.0.1', '--kubelet-port', '0', '--run-dir', o.runDir, '--pod-logs-root', logsRoot,
      // No Service proxy and no DNS server unless asked (see networkRoles); the multi-node
      // harness, with a namespace per node, runs both.
      '--cni-bridge', o.bridge, '--cluster-cidr', o.clusterCIDR, ...(o.networkRoles ? [] : ['--disable-kube-proxy', '--disable-cluster-dns']), ...(o.agentArgs ?? []),
    ];
    const startAgentProcess = async () => {
      const a = spawnAgent(args);
      agent = a;
      await poll('the node is registered', async () => a.logs(), (l) => /ready: node node-1 registered/.test(l), 60_000);
    };
    await startAgentProcess();
    const k = kubectl('1.33', server.kubeconfig, cache.path);
    await poll('node-1 Ready', async () => (await k(['get', 'node', 'node-1', '--no-headers'])).stdout, (out) => /\sReady\s/.test(out), 60_000);
    const s = server;
    return {
      server: s, get agent() { return agent!; }, agentDir, logsRoot,
      kubectl: (version: string) => kubectl(version, s.kubeconfig, cache.path),
      async restartAgent() {
        await agent?.terminate();
        await startAgentProcess();
      },
      stop,
    };
  } catch (e) {
    process.stderr.write(`node cluster failed to start:\n${agent?.logs() ?? ''}\n${server?.logs() ?? ''}\n`);
    await stop();
    throw e;
  }
}
