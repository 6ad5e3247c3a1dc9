// How a layer tar's entry names map onto an unpacked overlayfs layer. OCI marks a deleted path
// `dir/.wh.name` and a directory whose lower contents are hidden `dir/.wh..wh..opq`; overlayfs
// wants a 0/0 character device named `name` and the `trusted.overlay.opaque=y` xattr on `dir`.
// Pure: the unpacker performs the actions.
import { posix } from 'node:path';
import { ImagePullError } from '../runtime.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export type EntryAction =
  /** Write the entry at `path` (relative, '' is the layer root). */
  | { kind: 'entry'; path: string }
  /** Make `path` a whiteout (0/0 character device). */
  | { kind: 'whiteout'; path: string }
  /** Mark directory `dir` opaque. */
  | { kind: 'opaque'; dir: string }
  /** aufs metadata (`.wh..wh.plnk` and the like): nothing to write. */
  | { kind: 'skip' };

/** The entry's path relative to the layer root; throws Invalid for paths that escape it. */
export function normaliseEntryPath(name: string): string {
  if (name.includes('\0')) throw new ImagePullError(`layer entry "${name.replace(/\0/g, '\\0')}" has a NUL byte`, 'Invalid');
  const p = posix.normalize(`./${name}`).replace(/\/+$/, '');
  if (p === '..' || p.startsWith('../')) throw new ImagePullError(`layer entry "${name}" escapes the layer root`, 'Invalid');
  if (p === '.' || p === '') return '';
  return p.startsWith('/') ? p.slice(1) : p;
}

export function classifyEntry(name: string): EntryAction {
  const path = normaliseEntryPath(name);
  const base = posix.basename(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: 'entry', path };
  const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) return { kind: 'skip' };
  const target = base.slice(WHITEOUT_PREFIX.length);
  if (target === '' || target === '.' || target === '..') throw new ImagePullError(`layer entry "${name}" is a whiteout of nothing`, 'Invalid');
  return { kind: 'whiteout', path: dir ? `${dir}/${target}` : target };
}
