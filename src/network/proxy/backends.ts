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

// Literal specifiers inside the factories: the compiler checks each backend's factory, and the
// module loads only when its mode is created.
const FACTORIES: Record<ProxyMode, (options: BackendOptions) => Promise<ProxyBackend>> = {
  nftables: async (o) => (await import('./nftables/index.js')).createNftablesBackend(o),
  iptables: async (o) => (await import('./iptables/index.js')).createIptablesBackend(o),
};

export function isProxyMode(mode: string): mode is ProxyMode {
  return (PROXY_MODES as readonly string[]).includes(mode);
}

/** Loads the backend of `mode` and creates it. */
export async function createBackend(mode: ProxyMode, options: BackendOptions = {}): Promise<ProxyBackend> {
  const factory = FACTORIES[mode];
  if (!factory) throw new Error(`unknown proxy mode "${String(mode)}": use ${PROXY_MODES.join(' or ')}`);
  return factory(options);
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
