// A user-supplied CNI configuration dir (`--cni-conf-dir`), read as the kubelet's CNI plugin and
// libcni read it: the files ending in `.conf`, `.conflist` or `.json`, in name order; the first
// one that parses into a usable list wins (broken files are skipped and reported). A `.conflist`
// holds a list; a `.conf`/`.json` holds one plugin's configuration, wrapped into a list of one
// (libcni's ConfListFromConf).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NetConfList, PluginConf } from './types.js';

export const CONF_EXTENSIONS = ['.conf', '.conflist', '.json'];

/** The candidate files of a dir listing, in the order they are tried. */
export function confFileCandidates(names: readonly string[]): string[] {
  return names.filter((n) => CONF_EXTENSIONS.includes(path.extname(n))).sort();
}

/** Parses one file's text; throws with the reason when it is not a usable configuration. */
export function parseConfFile(fileName: string, text: string): NetConfList {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`error parsing configuration: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('configuration is not a JSON object');
  const obj = raw as Record<string, unknown>;
  if (path.extname(fileName) === '.conflist') {
    if (typeof obj.name !== 'string' || obj.name === '') throw new Error('no name');
    if (!Array.isArray(obj.plugins)) throw new Error(`error parsing configuration list: no 'plugins' key`);
    if (obj.plugins.length === 0) throw new Error('CNI config list has no networks');
    const plugins = obj.plugins.map((p, i) => checkPlugin(p, `plugin ${i}`));
    return {
      cniVersion: typeof obj.cniVersion === 'string' && obj.cniVersion ? obj.cniVersion : '0.1.0',
      name: obj.name,
      ...(obj.disableCheck === true ? { disableCheck: true } : {}),
      plugins,
    };
  }
  const plugin = checkPlugin(obj, 'configuration');
  if (typeof obj.name !== 'string' || obj.name === '') throw new Error('no name');
  return { cniVersion: typeof obj.cniVersion === 'string' && obj.cniVersion ? obj.cniVersion : '0.1.0', name: obj.name, plugins: [plugin] };
}

function checkPlugin(p: unknown, what: string): PluginConf {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error(`${what} is not a JSON object`);
  const conf = p as PluginConf;
  if (typeof conf.type !== 'string' || conf.type === '') throw new Error(`${what} has no type`);
  return conf;
}

export interface LoadedConf {
  file: string;
  list: NetConfList;
  /** Files before it that were skipped, with why. */
  skipped: { file: string; reason: string }[];
}

/** The network the dir configures; throws when the dir has no usable file ("no networks found"). */
export async function loadConfDir(dir: string): Promise<LoadedConf> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`no valid networks found in ${dir}: ${(error as Error).message}`);
  }
  const skipped: { file: string; reason: string }[] = [];
  for (const name of confFileCandidates(names)) {
    const file = path.join(dir, name);
    try {
      return { file, list: parseConfFile(name, await readFile(file, 'utf8')), skipped };
    } catch (error) {
      skipped.push({ file, reason: (error as Error).message });
    }
  }
  const why = skipped.map((s) => `${s.file}: ${s.reason}`).join('; ');
  throw new Error(`no valid networks found in ${dir}${why ? ` (${why})` : ''}`);
}
