// The iptables proxy backend (`--proxy-mode=iptables`): programs a ProxyState as upstream
// kube-proxy's iptables mode does, with `iptables-restore --noflush` transactions.
//
// Contract (ProxyBackend):
// - sync(state, 'all') is a full sync: reads `iptables-save`, writes every chain of ours that is
//   not known to be intact (see chain-digests.ts: a chain is rewritten when its rules changed, when
//   the kernel's copy differs from what we left there, or when we never read it back), deletes our
//   chains nobody wants any more (e.g. left by an earlier run), inserts missing jumps into the
//   built-in chains, then reads back what it wrote. This repairs any drift and is safe to repeat.
// - sync(state, changed) is a partial sync: rewrites the changed ports' chains and edits their
//   entries in the dispatch chains; its cost grows with the change, not with the Service count.
//   It falls back to a full sync before the first full one, when the cluster CIDRs changed (every
//   port's rules depend on them), and when the partial restore fails (the kernel drifted from
//   what we remember).
// - NodePorts answer on every local address but loopback (`-m addrtype --dst-type LOCAL`, as
//   upstream's default), which includes ProxyState.nodeIPs; loopback would need route_localnet.
// - Large full syncs are written in several dependency-ordered transactions (rules.ts batchPlan).
// - Calls are serialised: a sync never overlaps another sync or cleanup().
// - IPv4 is always programmed; IPv6 (ip6tables) only once the state holds an IPv6 cluster IP.
import type { ProxyBackend, ProxyState } from '../model.js';
import { batchPlan, dispatchEdits, fullSyncPlan, JUMPS, partialSyncPlan, renderRestore, type DispatchEdits } from './rules.js';
import { createRunner, IptablesMissingError, type IptablesRunner } from './runner.js';
import { cleanupRestore, missingJumps, ownChains, parseSave, type SavedRules } from './saved-rules.js';
import { digest, digestKey, isUpToDate, savedDigests, type ChainDigest, type ChainDigests } from './chain-digests.js';
import { EXTERNAL_SERVICES_CHAIN, FILTER_SERVICES_CHAIN, NODEPORTS_CHAIN, SERVICES_CHAIN } from './chain-names.js';
import { familyOf, servicePortRules, type Family, type FamilyOptions, type ServicePortRules } from './service-rules.js';

export interface IptablesBackendOptions {
  /** Run every command inside this network namespace (`ip netns exec`). */
  netns?: string;
  log?(message: string): void;
  /** For tests: replaces the commands. */
  runner?: IptablesRunner;
  /** Most chains one full-sync transaction writes before the rest goes to the next (default 2000). */
  maxChainsPerRestore?: number;
}

/** What the backend remembers of one family between syncs. */
interface FamilyMemory {
  /** The rules last written per service-port key; undefined until a full sync succeeded. */
  written?: Map<string, ServicePortRules>;
  /** The options the written rules were made with. */
  optionsKey?: string;
  /** What we know of each chain of ours in the kernel (see chain-digests.ts). */
  digests?: ChainDigests;
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
  private readonly maxChainsPerRestore: number | undefined;
  private readonly memory: Record<Family, FamilyMemory> = { 4: {}, 6: {} };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: IptablesBackendOptions) {
    this.runner = options.runner ?? createRunner({ netns: options.netns });
    this.log = options.log ?? (() => undefined);
    this.maxChainsPerRestore = options.maxChainsPerRestore;
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
    const parsed = await this.read(opts.family);
    const kernel = { nat: savedDigests(parsed, 'nat'), filter: savedDigests(parsed, 'filter') };
    const known = mem.digests ?? new Map<string, ChainDigest>();
    const wanted = rulesOf(state, opts);
    const plan = fullSyncPlan(
      wanted.values(), opts.family, { nat: ownChains(parsed, 'nat'), filter: ownChains(parsed, 'filter') }, missingJumps(parsed, JUMPS),
      (table, chain) => isUpToDate(known.get(digestKey(table, chain.name)), chain.lines, kernel[table].get(chain.name)),
    );
    for (const batch of batchPlan(plan, this.maxChainsPerRestore)) {
      const input = renderRestore(batch);
      if (input) await this.runner.restore(opts.family, input);
    }
    mem.written = wanted;
    mem.optionsKey = optionsKey;
    // Keep what is known of the chains left alone; learn how the kernel prints the ones written.
    const digests: ChainDigests = new Map();
    for (const table of ['nat', 'filter'] as const) {
      for (const c of plan.wanted[table]) {
        const k = digestKey(table, c.name);
        const before = known.get(k);
        if (before) digests.set(k, before);
      }
      for (const c of plan[table].chains) digests.set(digestKey(table, c.name), { input: digest(c.lines) });
    }
    mem.digests = digests;
    if (plan.nat.chains.length + plan.filter.chains.length > 0) {
      const after = await this.read(opts.family);
      for (const table of ['nat', 'filter'] as const) {
        const printed = savedDigests(after, table);
        for (const c of plan[table].chains) digests.get(digestKey(table, c.name))!.saved = printed.get(c.name);
      }
    }
  }

  private async read(family: Family): Promise<SavedRules> {
    const saved = await this.runner.save(family);
    if (saved === undefined) throw new IptablesMissingError(`${family === 6 ? 'ip6tables' : 'iptables'}-save not found`);
    return parseSave(saved);
  }

  private async partialSync(state: ProxyState, changed: ReadonlySet<string>, opts: FamilyOptions, written: Map<string, ServicePortRules>): Promise<void> {
    const updates: Array<[string, ServicePortRules | undefined]> = [];
    const rewrite: ServicePortRules[] = [];
    const deleteChains: string[] = [];
    const edits: DispatchEdits[] = [];
    for (const key of changed) {
      const before = written.get(key);
      const sp = state.servicePorts.get(key);
      const now = sp ? servicePortRules(sp, opts) : undefined;
      if (sameRules(before, now)) continue;
      edits.push(dispatchEdits(before, now));
      updates.push([key, now]);
      if (now) rewrite.push(now);
      const keep = new Set(now?.chains.map((c) => c.name) ?? []);
      for (const c of before?.chains ?? []) if (!keep.has(c.name)) deleteChains.push(c.name);
    }
    if (updates.length === 0) return;
    const plan = partialSyncPlan(rewrite, deleteChains, edits);
    await this.runner.restore(opts.family, renderRestore(plan));
    // The chains written or edited here are re-read only by the next full resync, which rewrites them.
    const digests = this.memory[opts.family].digests;
    if (digests) {
      for (const c of plan.nat.chains) digests.set(digestKey('nat', c.name), { input: digest(c.lines) });
      for (const c of plan.nat.deleteChains) digests.delete(digestKey('nat', c));
      if (edits.some((e) => e.nat.add.length + e.nat.remove.length > 0)) for (const c of [SERVICES_CHAIN, NODEPORTS_CHAIN]) digests.delete(digestKey('nat', c));
      if (edits.some((e) => e.filter.add.length + e.filter.remove.length > 0)) for (const c of [FILTER_SERVICES_CHAIN, EXTERNAL_SERVICES_CHAIN]) digests.delete(digestKey('filter', c));
    }
    // Commit to memory only after the kernel took it.
    for (const [key, now] of updates) {
      if (now) written.set(key, now);
      else written.delete(key);
    }
  }
}

/** The iptables backend of the proxy (`--proxy-mode=iptables`). */
export function createIptablesBackend(options: IptablesBackendOptions = {}): ProxyBackend {
  return new IptablesBackend(options);
}
