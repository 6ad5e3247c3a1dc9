// Running one CNI plugin binary: find it on the bin dirs, pass the invocation in the environment
// and the configuration on stdin, and read its result or error object from stdout (CNI spec,
// "Execution protocol"). Callers (the list executor) build the configuration; this module only
// runs the process, so everything here is I/O.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { withSystemPath } from './host-commands.js';
import { CNI_VERSION, CniError, CNI_ERROR_CODES, type CniResult, type CniVersionInfo, type RuntimeConf } from './types.js';

/** The plugin bin dir of Debian's containernetworking-plugins package. */
export const DEFAULT_CNI_BIN_DIRS = ['/usr/lib/cni'];

/** The dirs of a `--cni-bin-dir` value: comma-separated, as the kubelet's flag; empty means the default. */
export function parseCniBinDirs(value: string | undefined): string[] {
  const dirs = (value ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  return dirs.length ? dirs : [...DEFAULT_CNI_BIN_DIRS];
}

/** How long one plugin may run before it is killed (a hung IPAM or iptables lock must not hang a pod worker forever). */
export const DEFAULT_PLUGIN_TIMEOUT_MS = 120_000;

/** The first executable `<dir>/<type>` over `binDirs`, as libcni's FindInPath; throws a CniError when none. */
export function findPlugin(type: string, binDirs: readonly string[]): string {
  if (!type || type.includes('/') || type === '.' || type === '..') {
    throw new CniError(CNI_ERROR_CODES.invalidNetworkConfig, `invalid plugin type ${JSON.stringify(type)}`, undefined, '', 'ADD');
  }
  for (const dir of binDirs) {
    const candidate = path.join(dir, type);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next dir
    }
  }
  throw new CniError(0, `failed to find plugin ${JSON.stringify(type)} in path [${binDirs.join(' ')}]`, undefined, '', 'ADD');
}

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

/** `K=V;K2=V2`, the CNI_ARGS encoding. */
export function encodeCniArgs(args: readonly [string, string][] | undefined): string {
  return (args ?? []).map(([k, v]) => `${k}=${v}`).join(';');
}

/** The CNI_* environment of one invocation, layered over the caller's environment (plugins such as portmap need PATH). */
export function pluginEnvironment(command: CniCommand, rt: RuntimeConf | undefined, binDirs: readonly string[], base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...withSystemPath(base), CNI_COMMAND: command, CNI_PATH: binDirs.join(path.delimiter) };
  if (rt) {
    env.CNI_CONTAINERID = rt.containerId;
    env.CNI_NETNS = rt.netns;
    env.CNI_IFNAME = rt.ifName;
    env.CNI_ARGS = encodeCniArgs(rt.args);
  }
  return env;
}

interface RawOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(file: string, env: NodeJS.ProcessEnv, stdin: string, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    // A plugin may exit without reading stdin (e.g. VERSION); EPIPE then is not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

/**
 * Runs a plugin and returns its parsed stdout (undefined when it printed nothing, as DEL and
 * CHECK may). A non-zero exit becomes a CniError carrying the plugin's own code and msg.
 */
export async function execPlugin(
  pluginPath: string, command: CniCommand, config: object, rt: RuntimeConf | undefined,
  options: { binDirs: readonly string[]; description?: string; timeoutMs?: number },
): Promise<unknown> {
  const description = options.description ?? `type=${JSON.stringify(path.basename(pluginPath))}`;
  const env = pluginEnvironment(command, rt, options.binDirs);
  const outcome = await run(pluginPath, env, JSON.stringify(config), options.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS);
  if (outcome.status !== 0) {
    const parsed = parseJson(outcome.stdout);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'number') {
      const e = parsed as { code: number; msg?: unknown; details?: unknown };
      throw new CniError(e.code, String(e.msg ?? ''), e.details === undefined || e.details === '' ? undefined : String(e.details), description, command);
    }
    const why = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.status}`;
    const text = (outcome.stderr || outcome.stdout).trim();
    throw new CniError(0, `netplugin failed: ${why}${text ? `: ${JSON.stringify(text.slice(0, 2000))}` : ''}`, undefined, description, command);
  }
  if (outcome.stdout.trim() === '') return undefined;
  const parsed = parseJson(outcome.stdout);
  if (parsed === undefined) {
    throw new CniError(CNI_ERROR_CODES.decodeFailure, `failed to decode the plugin's output: ${JSON.stringify(outcome.stdout.slice(0, 500))}`, undefined, description, command);
  }
  return parsed;
}

/** ADD: the plugin must print a result. */
export async function execPluginWithResult(pluginPath: string, config: object, rt: RuntimeConf, options: { binDirs: readonly string[]; description?: string; timeoutMs?: number }): Promise<CniResult> {
  const out = await execPlugin(pluginPath, 'ADD', config, rt, options);
  if (!out || typeof out !== 'object' || Array.isArray(out)) {
    throw new CniError(CNI_ERROR_CODES.decodeFailure, 'plugin printed no result', undefined, options.description ?? '', 'ADD');
  }
  return out as CniResult;
}

/** VERSION: which spec versions the plugin supports (the config on stdin carries only cniVersion). */
export async function pluginVersionInfo(pluginPath: string, options: { binDirs: readonly string[]; timeoutMs?: number }): Promise<CniVersionInfo> {
  const out = await execPlugin(pluginPath, 'VERSION', { cniVersion: CNI_VERSION }, undefined, options);
  const info = out as Partial<CniVersionInfo> | undefined;
  if (!info || !Array.isArray(info.supportedVersions)) {
    throw new CniError(CNI_ERROR_CODES.decodeFailure, 'plugin printed no version info', undefined, path.basename(pluginPath), 'VERSION');
  }
  return { cniVersion: String(info.cniVersion ?? ''), supportedVersions: info.supportedVersions.map(String) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
