// The store of ADD results, one file per attachment, in libcni's `cniCacheV1` format and layout
// (`<cacheDir>/results/<network>-<containerId>-<ifName>`), so DEL can hand each plugin the result
// of its ADD as prevResult even after the agent restarted. Written by ADD after every plugin of
// the list succeeded; removed by DEL after every plugin's DEL succeeded. Writes are atomic
// (temp file + rename): a crash leaves the old file or the new one, never half of one.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CniResult, NetConfList, RuntimeConf } from './types.js';

export const CNI_CACHE_KIND = 'cniCacheV1';

/** One cached attachment as stored on disk (libcni's cachedInfo; `config` is the list's JSON, base64 as Go's []byte). */
export interface CachedAttachment {
  kind: typeof CNI_CACHE_KIND;
  containerId: string;
  config: string;
  ifName: string;
  networkName: string;
  netns?: string;
  cniArgs?: [string, string][];
  capabilityArgs?: Record<string, unknown>;
  result?: CniResult;
}

/** What a read gives back: the attachment with its configuration decoded. */
export interface CachedEntry {
  attachment: CachedAttachment;
  /** The list the ADD ran with, or undefined when the stored bytes do not parse. */
  list: NetConfList | undefined;
}

export class ResultCache {
  /** `dir` is the cache dir (the `results/` folder lives inside it). */
  constructor(readonly dir: string) {}

  get resultsDir(): string {
    return path.join(this.dir, 'results');
  }

  /** The file of one attachment; the three parts must be non-empty (libcni's rule). */
  filePath(networkName: string, containerId: string, ifName: string): string {
    if (!networkName || !containerId || !ifName) {
      throw new Error(`cache file path requires network name (${JSON.stringify(networkName)}), container ID (${JSON.stringify(containerId)}), and interface name (${JSON.stringify(ifName)})`);
    }
    return path.join(this.resultsDir, `${networkName}-${containerId}-${ifName}`);
  }

  async write(list: NetConfList, rt: RuntimeConf, result: CniResult): Promise<void> {
    const entry: CachedAttachment = {
      kind: CNI_CACHE_KIND,
      containerId: rt.containerId,
      config: Buffer.from(JSON.stringify(list)).toString('base64'),
      ifName: rt.ifName,
      networkName: list.name,
      netns: rt.netns || undefined,
      cniArgs: rt.args?.length ? rt.args : undefined,
      capabilityArgs: rt.capabilityArgs && Object.keys(rt.capabilityArgs).length ? rt.capabilityArgs : undefined,
      result,
    };
    const file = this.filePath(list.name, rt.containerId, rt.ifName);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** The cached attachment, or undefined when there is none or it is not a cniCacheV1 record. */
  async read(networkName: string, containerId: string, ifName: string): Promise<CachedEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.filePath(networkName, containerId, ifName), 'utf8');
    } catch {
      return undefined;
    }
    return decodeCachedAttachment(text);
  }

  /** Idempotent. */
  async remove(networkName: string, containerId: string, ifName: string): Promise<void> {
    await rm(this.filePath(networkName, containerId, ifName), { force: true });
  }

  /** Every cached attachment, optionally of one container (libcni's GetCachedAttachments). */
  async list(containerId?: string): Promise<CachedEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.resultsDir)).filter((n) => !n.includes('.tmp-')).sort();
    } catch {
      return [];
    }
    const entries: CachedEntry[] = [];
    for (const name of names) {
      if (containerId && !name.includes(`-${containerId}-`)) continue;
      let text: string;
      try {
        text = await readFile(path.join(this.resultsDir, name), 'utf8');
      } catch {
        continue;
      }
      const entry = decodeCachedAttachment(text);
      if (!entry || (containerId && entry.attachment.containerId !== containerId)) continue;
      if (!entry.attachment.ifName || !entry.attachment.networkName) continue;
      entries.push(entry);
    }
    return entries;
  }
}

/** Parses a cache file's text; undefined for anything but a cniCacheV1 record. */
export function decodeCachedAttachment(text: string): CachedEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const a = parsed as Partial<CachedAttachment> | null;
  if (!a || typeof a !== 'object' || a.kind !== CNI_CACHE_KIND) return undefined;
  let list: NetConfList | undefined;
  try {
    const decoded = JSON.parse(Buffer.from(String(a.config ?? ''), 'base64').toString('utf8')) as NetConfList;
    if (decoded && typeof decoded.name === 'string' && Array.isArray(decoded.plugins)) list = decoded;
  } catch {
    list = undefined;
  }
  return { attachment: a as CachedAttachment, list };
}
