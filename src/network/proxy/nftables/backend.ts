// The nftables proxy backend: keeps the `ip capstan-proxy` table equal to the ProxyState the
// proxy core hands it. Called by the Proxier (one call at a time is enough; concurrent calls are
// queued here anyway).
//
// Contract (ProxyBackend in ../model.ts):
// - The first sync, and every `changed === 'all'`, writes the whole table in one transaction;
//   later syncs send ONE transaction holding only the changed service ports.
// - If a transaction fails (drift: someone deleted our table or chain; an nft error), the backend
//   forgets what it wrote and rewrites the whole table from scratch, then rethrows only if that
//   fails too, so a later call (or the core's periodic full resync) can repair.
// - `cleanup()` deletes the table; no error if it was never there.
import type { ProxyBackend, ProxyState } from '../model.js';
import { TABLE } from './names.js';
import { applyNftScript, type NftRunnerOptions } from './nft-runner.js';
import { renderFull, renderIncremental, type Written } from './ruleset.js';

export interface NftablesBackendOptions {
  /** Program the table inside this network namespace (tests, benchmarks). */
  netns?: string;
  log?(message: string): void;
  /** The nft binary; default `nft` from PATH. */
  nftPath?: string;
}

export function createNftablesBackend(options: NftablesBackendOptions = {}): ProxyBackend {
  const runner: NftRunnerOptions = { netns: options.netns, nftPath: options.nftPath };
  const log = options.log ?? (() => undefined);
  let written: Written | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function full(state: ProxyState): Promise<void> {
    if (written) {
      const tx = renderFull(state, written);
      try {
        await applyNftScript(tx.text, runner);
        written = tx.written;
        return;
      } catch (e) {
        log(`nftables: full resync in place failed, recreating table ${TABLE}: ${(e as Error).message}`);
        written = undefined;
      }
    }
    const tx = renderFull(state);
    await applyNftScript(tx.text, runner);
    written = tx.written;
  }

  async function sync(state: ProxyState, changed: ReadonlySet<string> | 'all'): Promise<void> {
    if (!written || changed === 'all') return full(state);
    const tx = renderIncremental(written, state, changed);
    if (!tx) return full(state);
    if (!tx.text) {
      written = tx.written;
      return;
    }
    try {
      await applyNftScript(tx.text, runner);
      written = tx.written;
    } catch (e) {
      log(`nftables: incremental sync of ${changed.size} service port(s) failed, rewriting the table: ${(e as Error).message}`);
      written = undefined;
      await full(state);
    }
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
