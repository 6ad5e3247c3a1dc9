// The iptables proxy backend (`--proxy-mode=iptables`): programs a ProxyState as upstream
// kube-proxy's iptables mode does, with `iptables-restore --noflush` transactions.
//
// Contract (ProxyBackend):
// - sync(state, 'all') is a full sync: reads `iptables-save`, writes every chain of ours, deletes
//   our chains nobody wants any more (e.g. left by an earlier run), inserts missing jumps into the
//   built-in chains. This repairs any drift and is safe to repeat.
// - sync(state, changed) is a partial sync: rewrites the dispatch chains and the changed ports'
//   chains only. It falls back to a full sync before the first full one, when the node's
//   addresses or cluster CIDRs changed (every port's rules depend on them), and when the partial
//   restore fails (the kernel drifted from what we remember).
// - Calls are serialised: a sync never overlaps another sync or cleanup().
// - IPv4 is always programmed; IPv6 (ip6tables) only once the state holds an IPv6 cluster IP.
import type { ProxyBackend, ProxyState } from '../model.js';
import { fullSyncPlan, JUMPS, partialSyncPlan, renderRestore } from './rules.js';
import { createRunner, IptablesMissingError, type IptablesRunner } from './runner.js';
import { cleanupRestore, missingJumps, ownChains, parseSave } from './saved-rules.js';
import { familyOf, servicePortRules, type Family, type FamilyOptions, type ServicePortRules } from './service-rules.js';

export interface IptablesBackendOptions {
  /** Run every command inside this network namespace (`ip netns exec`). */
  netns?: string;
  log?(message: string): void;
  /** For tests: replaces the commands. */
  runner?: IptablesRunner;
}

/** What the backend remembers of one family between syncs. */
interface FamilyMemory {
  /** The rules last written per service-port key; undefined until a full sync succeeded. */
  written?: Map<string, ServicePortRules>;
  /** The options the written rules were made with. */
  optionsKey?: string;
  /** ip6tables is missing: warned once, never tried again. */
  unavailable?: boolean;
}

function familyOptions(state: ProxyState, family: Family): FamilyOptions {
  const cidrs = state.clusterCIDRs.filter((c) => familyOf(c) === family);
  return cidrs[0] ? { family, clusterCIDR: cidrs[0] } : { family };
}

function rulesOf(state: ProxyState, opts: FamilyOptions): Map<string, ServicePortRules> {
  const out = new Map<string, ServicePortRules>();
  for (const sp of state.servicePorts.values()) {
    const r = servicePortRules(sp, opts);
    if (r) out.set(sp.key, r);
  }
  return out;
}

function sameRules(a: ServicePortRules | undefined, b: ServicePortRules | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

class IptablesBackend implements ProxyBackend {
  readonly mode = 'iptables' as const;
  private readonly runner: IptablesRunner;
  private readonly log: (m: string) => void;
  private readonly memory: Record<Family, FamilyMemory> = { 4: {}, 6: {} };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: IptablesBackendOptions) {
    this.runner = options.runner ?? createRunner({ netns: options.netns });
    this.log = options.log ?? (() => undefined);
  }

  sync(state: ProxyState, changed: ReadonlySet<string> | 'all'): Promise<void> {
    return this.serialised(async () => {
      const wantsV6 = [...state.servicePorts.values()].some((sp) => sp.clusterIPs.some((ip) => familyOf(ip) === 6));
      await this.syncFamily(state, changed, 4);
      if ((wantsV6 || this.memory[6].written) && !this.memory[6].unavailable) await this.syncFamily(state, changed, 6);
    });
  }

  cleanup(): Promise<void> {
    return this.serialised(async () => {
      const errors: string[] = [];
      for (const family of [4, 6] as const) {
        this.memory[family] = {};
        try {
          const saved = await this.runner.save(family);
          if (saved === undefined) continue;
          const input = cleanupRestore(parseSave(saved));
          if (input) await this.runner.restore(family, input);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
      if (errors.length) throw new Error(`iptables cleanup: ${errors.join('; ')}`);
    });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async syncFamily(state: ProxyState, changed: ReadonlySet<string> | 'all', family: Family): Promise<void> {
    const mem = this.memory[family];
    const opts = familyOptions(state, family);
    const optionsKey = JSON.stringify(opts);
    try {
      if (changed !== 'all' && mem.written && mem.optionsKey === optionsKey) {
        try {
          await this.partialSync(state, changed, opts, mem.written);
          return;
        } catch (error) {
          if (error instanceof IptablesMissingError) throw error;
          this.log(`iptables: partial sync failed, doing a full sync: ${(error as Error).message}`);
        }
      }
      await this.fullSync(state, opts, mem, optionsKey);
    } catch (error) {
      if (error instanceof IptablesMissingError && family === 6) {
        mem.unavailable = true;
        this.log('iptables: ip6tables-restore not found; IPv6 Services are not proxied');
        return;
      }
      // What the kernel holds is unknown now: the next sync must be full.
      mem.written = undefined;
      throw error;
    }
  }

  private async fullSync(state: ProxyState, opts: FamilyOptions, mem: FamilyMemory, optionsKey: string): Promise<void> {
    const saved = await this.runner.save(opts.family);
    if (saved === undefined) throw new IptablesMissingError(`${opts.family === 6 ? 'ip6tables' : 'iptables'}-save not found`);
    const parsed = parseSave(saved);
    const wanted = rulesOf(state, opts);
    const plan = fullSyncPlan(wanted.values(), opts.family, { nat: ownChains(parsed, 'nat'), filter: ownChains(parsed, 'filter') }, missingJumps(parsed, JUMPS));
    await this.runner.restore(opts.family, renderRestore(plan));
    mem.written = wanted;
    mem.optionsKey = optionsKey;
  }

  private async partialSync(state: ProxyState, changed: ReadonlySet<string>, opts: FamilyOptions, written: Map<string, ServicePortRules>): Promise<void> {
    const next = new Map(written);
    const rewrite: ServicePortRules[] = [];
    const deleteChains: string[] = [];
    let dirty = false;
    for (const key of changed) {
      const before = written.get(key);
      const sp = state.servicePorts.get(key);
      const now = sp ? servicePortRules(sp, opts) : undefined;
      if (sameRules(before, now)) continue;
      dirty = true;
      if (now) {
        next.set(key, now);
        rewrite.push(now);
      } else {
        next.delete(key);
      }
      const keep = new Set(now?.chains.map((c) => c.name) ?? []);
      for (const c of before?.chains ?? []) if (!keep.has(c.name)) deleteChains.push(c.name);
    }
    if (!dirty) return;
    const plan = partialSyncPlan(next.values(), opts.family, rewrite, deleteChains);
    await this.runner.restore(opts.family, renderRestore(plan));
    // Commit to memory only after the kernel took it.
    written.clear();
    for (const [k, v] of next) written.set(k, v);
  }
}

/** The iptables backend of the proxy (`--proxy-mode=iptables`). */
export function createIptablesBackend(options: IptablesBackendOptions = {}): ProxyBackend {
  return new IptablesBackend(options);
}
