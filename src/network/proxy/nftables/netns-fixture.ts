// A small virtual network for the nftables backend's kernel test and benchmark, made only of
// network namespaces it creates (names carry the process id) and removed completely by
// `destroy()`, which also kills the listeners it started:
//
//   client ns  192.168.5.2 ──veth── 192.168.5.1  node ns  10.42.0.1 (bridge) ──veth── pod ns 10.42.0.x
//
// The node namespace is where the backend programs its table; pods run `socat` listeners that
// answer `<pod name> <peer address>`; the client namespace stands for a machine outside the cluster.
import { execFile, spawn, type ChildProcess } from 'node:child_process';

export interface CommandResult { code: number; stdout: string; stderr: string; ms: number }

export function run(file: string, args: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: performance.now() - started });
    });
  });
}

async function must(file: string, args: readonly string[]): Promise<string> {
  const r = await run(file, args);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Why the kernel tests cannot run here, or undefined when they can. */
export async function kernelTestBlocker(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, nftables)';
  for (const tool of ['nft', 'ip', 'socat']) {
    if ((await run('sh', ['-c', `command -v ${tool}`])).code !== 0) return `needs ${tool} on PATH`;
  }
  return undefined;
}

export interface Pod { name: string; ns: string; ip: string }

export class VirtualNetwork {
  readonly node: string;
  readonly client: string;
  readonly nodeIP = '192.168.5.1';
  readonly clientIP = '192.168.5.2';
  readonly bridgeIP = '10.42.0.1';
  readonly pods: Pod[] = [];
  private readonly namespaces: string[] = [];
  private readonly listeners: ChildProcess[] = [];

  constructor(readonly tag: string) {
    this.node = `capt-${tag}-node-${process.pid}`;
    this.client = `capt-${tag}-cli-${process.pid}`;
  }

  private async addNamespace(name: string): Promise<void> {
    await must('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    await must('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  }

  /** Node and client namespaces, the bridge, and `podCount` pods (10.42.0.2, .3, …). */
  async create(podCount: number): Promise<void> {
    await this.addNamespace(this.node);
    await this.addNamespace(this.client);
    const n = ['-n', this.node];
    await must('ip', [...n, 'link', 'add', 'br0', 'type', 'bridge']);
    await must('ip', [...n, 'addr', 'add', `${this.bridgeIP}/24`, 'dev', 'br0']);
    await must('ip', [...n, 'link', 'set', 'br0', 'up']);
    await must('ip', [...n, 'link', 'add', 'ext0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.client]);
    await must('ip', [...n, 'addr', 'add', `${this.nodeIP}/24`, 'dev', 'ext0']);
    await must('ip', [...n, 'link', 'set', 'ext0', 'up']);
    // Packets to Service VIPs need a route before DNAT; nothing is ever sent past the client ns.
    await must('ip', [...n, 'route', 'add', 'default', 'via', this.clientIP]);
    await must('ip', ['netns', 'exec', this.node, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const c = ['-n', this.client];
    await must('ip', [...c, 'addr', 'add', `${this.clientIP}/24`, 'dev', 'eth0']);
    await must('ip', [...c, 'link', 'set', 'eth0', 'up']);
    await must('ip', [...c, 'route', 'add', 'default', 'via', this.nodeIP]);
    for (let i = 0; i < podCount; i++) {
      const pod: Pod = { name: `pod${i + 1}`, ns: `capt-${this.tag}-p${i + 1}-${process.pid}`, ip: `10.42.0.${i + 2}` };
      await this.addNamespace(pod.ns);
      await must('ip', [...n, 'link', 'add', `veth${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.ns]);
      await must('ip', [...n, 'link', 'set', `veth${i + 1}`, 'master', 'br0', 'up']);
      // As the CNI bridge's hairpinMode: with bridge netfilter on, a DNATed packet back to its own
      // port is bridged, and the bridge sends out of the arrival port only in hairpin mode.
      await must('ip', [...n, 'link', 'set', `veth${i + 1}`, 'type', 'bridge_slave', 'hairpin', 'on']);
      await must('ip', ['-n', pod.ns, 'addr', 'add', `${pod.ip}/24`, 'dev', 'eth0']);
      await must('ip', ['-n', pod.ns, 'link', 'set', 'eth0', 'up']);
      await must('ip', ['-n', pod.ns, 'route', 'add', 'default', 'via', this.bridgeIP]);
      this.pods.push(pod);
    }
  }

  /** A TCP listener on `port` in every pod answering `<pod name> <peer address>`; resolves once all answer. */
  async listen(port: number): Promise<void> {
    for (const pod of this.pods) {
      const child = spawn('ip', ['netns', 'exec', pod.ns, 'socat', `TCP-LISTEN:${port},fork,reuseaddr`, `SYSTEM:echo ${pod.name} $SOCAT_PEERADDR`], { stdio: 'ignore' });
      this.listeners.push(child);
    }
    for (const pod of this.pods) {
      for (let attempt = 0; ; attempt++) {
        const r = await this.connect(this.node, pod.ip, port);
        if (r.code === 0 && r.stdout.startsWith(pod.name)) break;
        if (attempt > 50) throw new Error(`listener in ${pod.ns} on ${port} does not answer: ${r.stderr}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    }
  }

  /** An echo listener (`cat`) on `port` in one pod, for long-lived connections. */
  listenEcho(pod: Pod, port: number): void {
    this.listeners.push(spawn('ip', ['netns', 'exec', pod.ns, 'socat', `TCP-LISTEN:${port},fork,reuseaddr`, 'EXEC:cat'], { stdio: 'ignore' }));
  }

  /** A UDP listener in namespace `ns` on `ip:port` answering each datagram with `<name> <peer address>`. */
  listenUdp(ns: string, ip: string, port: number, name: string): void {
    this.listeners.push(spawn('ip', ['netns', 'exec', ns, 'socat', `UDP-LISTEN:${port},bind=${ip},fork,reuseaddr`, `SYSTEM:echo ${name} $SOCAT_PEERADDR`], { stdio: 'ignore' }));
  }

  /** One UDP request from namespace `ns`; stdout is the answer. */
  queryUdp(ns: string, host: string, port: number): Promise<CommandResult> {
    return run('ip', ['netns', 'exec', ns, 'sh', '-c', `echo q | socat -T 2 - UDP:${host}:${port}`], 8_000);
  }

  /** One TCP connection from namespace `ns`; stdout is the server's answer. */
  connect(ns: string, host: string, port: number, timeoutSeconds = 3): Promise<CommandResult> {
    return run('ip', ['netns', 'exec', ns, 'socat', '-T', String(timeoutSeconds), '-u', `TCP:${host}:${port},connect-timeout=${timeoutSeconds}`, '-'], 8_000);
  }

  /** Removes every namespace and kills every listener made here; safe to call twice or after a failed create. */
  async destroy(): Promise<void> {
    for (const child of this.listeners.splice(0)) {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 1000))]);
      }
    }
    for (const ns of this.namespaces.splice(0).reverse()) await run('ip', ['netns', 'del', ns]);
  }
}
