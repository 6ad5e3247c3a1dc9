// The proxy backends by mode (a name-keyed registry). Each backend module is imported only when
// its mode is asked for, so an agent running nftables never loads the iptables code and vice versa.
//
// Contract of a backend module: `nftables/index.js` exports `createNftablesBackend(options)`,
// `iptables/index.js` exports `createIptablesBackend(options)`, each returning a ProxyBackend
// (model.ts) whose kernel commands run inside `options.netns` when it is given.
import type { ProxyBackend } from './model.js';

export const PROXY_MODES = ['nftables', 'iptables'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export interface BackendOptions {
  /** Program the rules inside this network namespace (`ip netns exec`); tests and benchmarks. */
  netns?: string;
  log?(msg: string): void;
}

type BackendFactory = (options: BackendOptions) => ProxyBackend | Promise<ProxyBackend>;

// Specifiers held in variables: the compiler does not resolve them, so this module builds whether
// or not a backend is present in the tree; a missing backend fails at run time with a clear error.
const MODULES: Record<ProxyMode, { specifier: string; factory: string }> = {
  nftables: { specifier: './nftables/index.js', factory: 'createNftablesBackend' },
  iptables: { specifier: './iptables/index.js', factory: 'createIptablesBackend' },
};

export function isProxyMode(mode: string): mode is ProxyMode {
  return (PROXY_MODES as readonly string[]).includes(mode);
}

/** Loads the backend of `mode` and creates it. */
export async function createBackend(mode: ProxyMode, options: BackendOptions = {}): Promise<ProxyBackend> {
  const entry = MODULES[mode];
  if (!entry) throw new Error(`unknown proxy mode "${String(mode)}": use ${PROXY_MODES.join(' or ')}`);
  let mod: Record<string, unknown>;
  try {
    mod = await import(entry.specifier) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`proxy mode ${mode}: cannot load its backend: ${(e as Error).message}`);
  }
  const factory = mod[entry.factory];
  if (typeof factory !== 'function') throw new Error(`proxy mode ${mode}: its backend module exports no ${entry.factory}()`);
  return await (factory as BackendFactory)(options);
}

/**
 * Removes the rules of one backend, or of every backend (`'all'`, what `capstan proxy --cleanup`
 * does, as kube-proxy's --cleanup removes both modes' rules). Returns the errors per mode; a
 * backend whose tool is missing reports an error here and the others still run.
 */
export async function cleanupProxyRules(mode: ProxyMode | 'all', netns?: string, log?: (msg: string) => void): Promise<{ mode: ProxyMode; error?: Error }[]> {
  const modes = mode === 'all' ? [...PROXY_MODES] : [mode];
  const out: { mode: ProxyMode; error?: Error }[] = [];
  for (const m of modes) {
    try {
      const backend = await createBackend(m, { netns, log });
      await backend.cleanup();
      out.push({ mode: m });
    } catch (e) {
      out.push({ mode: m, error: e as Error });
    }
  }
  return out;
}
