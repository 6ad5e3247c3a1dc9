// A private network namespace for proxy tests and benchmarks, and a helper process inside it that
// both serves listeners (each answers every connection with its own identity "ip:port" and keeps
// the connection open until the client closes it) and probes Service VIPs from inside the
// namespace. Nothing here touches the host's network: every address lives in the namespace.
//
// Use: `const ns = await createProxyNetns('tag')` … `finally { await ns.remove() }`. The namespace
// has lo up, the listener addresses on lo, and a device `d0` (10.99.0.254/24, one end of a veth pair) holding the
// routes to the service CIDR, so locally generated connections to a VIP pass the nat output hook.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';

const exec = promisify(execFile);

export const NETNS_NODE_IP = '10.99.0.254';

export interface ProxyNetns {
  name: string;
  /** Runs `ip netns exec <name> <argv>` and returns stdout. */
  run(argv: string[]): Promise<string>;
  remove(): Promise<void>;
}

/** True when this process may create network namespaces and nftables is installed. */
export async function canProgramNetns(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root';
  try {
    await exec('nft', ['--version']);
    await exec('ip', ['-V']);
  } catch {
    return 'needs nft and ip';
  }
  return undefined;
}

/** Creates `capt-<tag>-<pid>` with `listenerIPs` on its loopback and routes for `serviceCIDRs`. */
export async function createProxyNetns(tag: string, listenerIPs: string[], serviceCIDRs = ['10.43.0.0/16']): Promise<ProxyNetns> {
  const name = `capt-${tag}-${process.pid}`;
  await exec('ip', ['netns', 'add', name]);
  const run = async (argv: string[]) => (await exec('ip', ['netns', 'exec', name, ...argv], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const ns: ProxyNetns = {
    name, run,
    async remove() {
      await exec('ip', ['netns', 'del', name]).catch(() => undefined);
    },
  };
  try {
    await run(['ip', 'link', 'set', 'lo', 'up']);
    // No dummy driver in this kernel: a veth pair with both ends in the namespace does the same.
    await run(['ip', 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
    await run(['ip', 'addr', 'add', `${NETNS_NODE_IP}/24`, 'dev', 'd0']);
    await run(['ip', 'link', 'set', 'd1', 'up']);
    await run(['ip', 'link', 'set', 'd0', 'up']);
    for (const ip of listenerIPs) await run(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
    for (const cidr of serviceCIDRs) await run(['ip', 'route', 'add', cidr, 'dev', 'd0']);
  } catch (e) {
    await ns.remove();
    throw e;
  }
  return ns;
}

// The helper (plain JS so it starts without a TypeScript loader). stdin commands, one per line:
//   get <id> <ip> <port>                         → "res <id> <ms> <identity | ERR:<code>>"
//   wait <id> <ip> <port> <want,…> <timeoutMs>   → "res <id> <ms> <identity>" once a connection
//        answers one of `want` (retrying every 2 ms), or "res <id> <ms> TIMEOUT:<last>".
//   hold <id> <ip> <port>                        → opens a connection and keeps it; "res <id> <ms> <identity>"
//   ping <id>                                    → asks the held connection `id` to echo; "res <id> <ms> <echo|ERR>"
// ms is measured inside the namespace from the command's arrival.
const HELPER = String.raw`
const net = require('node:net');
const rl = require('node:readline').createInterface({ input: process.stdin });
const listeners = JSON.parse(process.argv[1]);
let pending = listeners.length;
for (const l of listeners) {
  const [ip, port] = l.split(':');
  net.createServer((s) => {
    s.on('error', () => {});
    s.write(l + '\n');
    s.on('data', (d) => s.write('echo ' + l + ' ' + d.toString().trim() + '\n'));
  }).listen(Number(port), ip, () => { if (--pending === 0) console.log('ready'); });
}
const held = new Map();
function once(ip, port, cb) {
  const s = net.connect({ host: ip, port: Number(port) });
  let buf = '';
  const t = setTimeout(() => { s.destroy(); cb('ERR:ETIMEDOUT'); }, 1000);
  s.on('data', (d) => { buf += d; if (buf.includes('\n')) { clearTimeout(t); s.destroy(); cb(buf.split('\n')[0]); } });
  s.on('error', (e) => { clearTimeout(t); cb('ERR:' + (e.code || e.message)); });
}
rl.on('line', (line) => {
  const [cmd, id, ip, port, want, timeout] = line.trim().split(' ');
  const t0 = performance.now();
  const res = (v) => console.log('res ' + id + ' ' + (performance.now() - t0).toFixed(2) + ' ' + v);
  if (cmd === 'get') once(ip, port, res);
  else if (cmd === 'wait') {
    const wanted = new Set(want.split(','));
    const deadline = t0 + Number(timeout);
    const attempt = () => once(ip, port, (v) => {
      if (wanted.has(v)) return res(v);
      if (performance.now() > deadline) return res('TIMEOUT:' + v);
      setTimeout(attempt, 2);
    });
    attempt();
  } else if (cmd === 'hold') {
    const s = net.connect({ host: ip, port: Number(port) });
    let first = true;
    s.on('error', (e) => { if (first) { first = false; res('ERR:' + e.code); } });
    s.on('data', (d) => {
      for (const l of d.toString().split('\n').filter(Boolean)) {
        if (first) { first = false; held.set(id, s); res(l); } else if (s.pinged) { const p = s.pinged; s.pinged = undefined; p(l); }
      }
    });
  } else if (cmd === 'ping') {
    const s = held.get(id);
    if (!s || s.destroyed) return res('ERR:closed');
    const t = setTimeout(() => { s.pinged = undefined; res('ERR:ETIMEDOUT'); }, 1000);
    s.pinged = (l) => { clearTimeout(t); res(l); };
    s.write('ping\n');
  }
});
`;

export interface ProbeResult { ms: number; value: string }

export interface EchoProbe {
  get(ip: string, port: number): Promise<ProbeResult>;
  /** Retries every 2 ms until a connection answers one of `want`; value is TIMEOUT:<last> otherwise. */
  waitFor(ip: string, port: number, want: string[], timeoutMs: number): Promise<ProbeResult>;
  /** Opens a long-lived connection under `id`; `ping(id)` talks over it later. */
  hold(id: string, ip: string, port: number): Promise<ProbeResult>;
  ping(id: string): Promise<ProbeResult>;
  stop(): Promise<void>;
}

/** Starts the helper in `netns`, listening on every `ip:port` of `listeners`. */
export async function startEchoProbe(netns: string, listeners: string[]): Promise<EchoProbe> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', HELPER, JSON.stringify(listeners)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<string, (r: ProbeResult) => void>();
  let ready!: () => void;
  const readyP = new Promise<void>((r) => { ready = r; });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') return ready();
    const m = /^res (\S+) (\S+) (.*)$/.exec(line);
    if (!m) return;
    const cb = waiting.get(m[1]!);
    waiting.delete(m[1]!);
    cb?.({ ms: Number(m[2]), value: m[3]! });
  });
  await Promise.race([readyP, exited.then(() => { throw new Error('the netns helper exited before it was ready'); })]);
  let seq = 0;
  const ask = (cmd: string, id: string, rest: string) => new Promise<ProbeResult>((resolve) => {
    waiting.set(id, resolve);
    child.stdin!.write(`${cmd} ${id} ${rest}\n`);
  });
  return {
    get: (ip, port) => ask('get', `g${seq++}`, `${ip} ${port}`),
    waitFor: (ip, port, want, timeoutMs) => ask('wait', `w${seq++}`, `${ip} ${port} ${want.join(',')} ${timeoutMs}`),
    hold: (id, ip, port) => ask('hold', id, `${ip} ${port}`),
    ping: (id) => ask('ping', id, ''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
