// The nftables proxy backend: keeps the `ip capstan-proxy` table equal to the ProxyState the
// proxy core hands it. Called by the Proxier (one call at a time is enough; concurrent calls are
// queued here anyway).
//
// Contract (ProxyBackend in ../model.ts), modelled on kube-proxy's nftables mode:
// - The first sync writes the whole table in one transaction (deleting any table a previous
//   proxy left). Later syncs send ONE transaction holding only the changed service ports.
// - `changed === 'all'` (the core's periodic resync, every 30 s by default) rewrites the whole
//   table when the last rewrite is older than `fullRewritePeriodMs` (1 h, as kube-proxy's
//   FullSyncPeriod) or when the drift probe (drift.ts: our table and exactly our chains are there)
//   fails; otherwise it diffs every service port against what was written and sends only the
//   differences. So a periodic resync at 5,000 Services costs milliseconds, not the seconds of
//   a rewrite, and never holds up the next EndpointSlice change for long.
// - If a transaction fails (drift: someone deleted our table or a chain; an nft error), the backend
//   forgets what it wrote and rewrites the whole table from scratch; it rejects only if that fails
//   too, so a later call (the core retries with 'all') can repair.
// - `cleanup()` deletes the table; no error if it was never there.
import type { ProxyBackend, ProxyState } from '../model.js';
import { tableIntact } from './drift.js';
import { TABLE, TABLE_FAMILY } from './names.js';
import { applyNftScript, runNft, type NftRunnerOptions } from './nft-runner.js';
import { renderFull, renderIncremental, type Written } from './ruleset.js';

/** As kube-proxy's proxyutil.FullSyncPeriod. */
export const DEFAULT_FULL_REWRITE_PERIOD_MS = 60 * 60 * 1000;

export interface NftablesBackendOptions {
  /** Program the table inside this network namespace (tests, benchmarks). */
  netns?: string;
  log?(message: string): void;
  /** The nft binary; default `nft` from PATH. */
  nftPath?: string;
  /** A periodic resync ('all') rewrites the whole table at most this often; 0 = every time. */
  fullRewritePeriodMs?: number;
  /** Milliseconds clock (tests). */
  now?(): number;
}

export function createNftablesBackend(options: NftablesBackendOptions = {}): ProxyBackend {
  const runner: NftRunnerOptions = { netns: options.netns, nftPath: options.nftPath };
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => performance.now());
  const rewritePeriod = options.fullRewritePeriodMs ?? DEFAULT_FULL_REWRITE_PERIOD_MS;
  let written: Written | undefined;
  let lastRewrite = -Infinity;
  let queue: Promise<unknown> = Promise.resolve();

  async function rewrite(state: ProxyState): Promise<void> {
    if (written) {
      const tx = renderFull(state, written);
      try {
        await applyNftScript(tx.text, runner);
        written = tx.written;
        lastRewrite = now();
        return;
      } catch (e) {
        log(`nftables: rewriting table ${TABLE} in place failed, recreating it: ${(e as Error).message}`);
        written = undefined;
      }
    }
    const tx = renderFull(state);
    await applyNftScript(tx.text, runner);
    written = tx.written;
    lastRewrite = now();
  }

  async function incremental(state: ProxyState, changed: ReadonlySet<string>, previous: Written): Promise<void> {
    // In place: on failure `written` is dropped below, so a half-updated record is never used.
    const tx = renderIncremental(previous, state, changed, { inPlace: true });
    if (!tx) return rewrite(state);
    if (!tx.text) {
      written = tx.written;
      return;
    }
    written = undefined;
    try {
      await applyNftScript(tx.text, runner);
      written = tx.written;
    } catch (e) {
      log(`nftables: incremental sync of ${changed.size} service port(s) failed, recreating the table: ${(e as Error).message}`);
      written = undefined;
      await rewrite(state);
    }
  }

  async function resync(state: ProxyState, previous: Written): Promise<void> {
    if (now() - lastRewrite >= rewritePeriod) return rewrite(state);
    let intact = false;
    try {
      intact = tableIntact(await runNft(['list', 'chains', TABLE_FAMILY], '', runner), previous);
    } catch (e) {
      log(`nftables: listing chains failed: ${(e as Error).message}`);
    }
    if (!intact) {
      log(`nftables: table ${TABLE} is not as written (deleted or changed by someone else), recreating it`);
      written = undefined;
      return rewrite(state);
    }
    await incremental(state, new Set([...previous.ports.keys(), ...state.servicePorts.keys()]), previous);
  }

  async function sync(state: ProxyState, changed: ReadonlySet<string> | 'all'): Promise<void> {
    const previous = written;
    if (!previous) return rewrite(state);
    return changed === 'all' ? resync(state, previous) : incremental(state, changed, previous);
  }

  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    mode: 'nftables',
    sync: (state, changed) => serialized(() => sync(state, changed)),
    cleanup: () => serialized(async () => {
      // `add` first makes `delete` succeed whether or not the table exists.
      await applyNftScript(`add table ${TABLE}\ndelete table ${TABLE}\n`, runner);
      written = undefined;
    }),
  };
}
