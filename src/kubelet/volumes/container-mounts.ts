// A container's volumeMounts → the runtime's Mount[] (upstream kubelet makeMounts): the volume's
// host path, subPath / subPathExpr (expanded from the container's env, created in the volume if
// missing, refused if it escapes the volume), readOnly (forced for volumes that must be mounted
// read-only), mountPropagation. Called by containerConfigFor after the env is resolved.
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Container } from '../podspec/spec-types.js';
import type { Mount } from '../../runtime/index.js';
import { expand } from '../podspec/expansion.js';
import { CreateContainerConfigError } from '../podspec/errors.js';

/** A set-up volume of a pod, as the volume manager reports it. */
export interface MountedVolume {
  name: string;
  /** Upstream plugin name, e.g. `kubernetes.io~empty-dir`. */
  plugin: string;
  hostPath: string;
  /** The plugin requires a read-only mount (configMap, secret, downwardAPI, projected, readOnly claims). */
  mustMountReadOnly: boolean;
}

/** Upstream ExpandContainerVolumeMounts: every referenced variable must be set and non-empty. */
export function expandSubPathExpr(expr: string, env: ReadonlyMap<string, string>): string {
  const missing = new Set<string>();
  const out = expand(expr, (k) => {
    const v = env.get(k);
    if (v === undefined || v === '') missing.add(k);
    return v ?? '';
  });
  if (missing.size > 0) throw new CreateContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

/** Upstream translateMountPropagation. */
export function mountPropagation(mode: string | undefined): Mount['propagation'] {
  switch (mode) {
    case undefined: case 'None': return 'private';
    case 'HostToContainer': return 'rslave';
    case 'Bidirectional': return 'rshared';
    default: throw new CreateContainerConfigError(`invalid MountPropagation mode: ${JSON.stringify(mode)}`);
  }
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** Validates and creates a subPath inside `volumePath`; resolves the host path to mount. */
async function prepareSubPath(volumePath: string, subPath: string, mountName: string, containerName: string): Promise<string> {
  if (path.isAbsolute(subPath)) throw new CreateContainerConfigError(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new CreateContainerConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  const target = path.join(volumePath, subPath);
  let exists = true;
  try { await stat(target); } catch { exists = false; }
  const root = await realpath(volumePath);
  if (!exists) {
    try {
      const mode = (await stat(volumePath)).mode & 0o7777;
      const parent = await realpath(path.dirname(target)).catch(() => undefined);
      if (parent !== undefined && !within(root, parent)) throw new Error('escapes the volume');
      await mkdir(target, { recursive: true, mode });
    } catch {
      throw new CreateContainerConfigError(`failed to create subPath directory for volumeMount ${JSON.stringify(mountName)} of container ${JSON.stringify(containerName)}`);
    }
  }
  const resolved = await realpath(target).catch(() => undefined);
  if (resolved === undefined || !within(root, resolved)) {
    throw new CreateContainerConfigError(`failed to prepare subPath for volumeMount ${JSON.stringify(mountName)} of container ${JSON.stringify(containerName)}`);
  }
  return resolved;
}

/** The container's mounts over the pod's set-up volumes; throws CreateContainerConfigError. */
export async function containerMounts(container: Container, volumes: ReadonlyMap<string, MountedVolume>, env: { name: string; value: string }[]): Promise<Mount[]> {
  const envMap = new Map(env.map((e) => [e.name, e.value]));
  const out: Mount[] = [];
  const containerName = container.name ?? '';
  for (const vm of container.volumeMounts ?? []) {
    const name = vm.name ?? '';
    const vol = volumes.get(name);
    if (!vol) throw new CreateContainerConfigError(`cannot find volume ${JSON.stringify(name)} to mount into container ${JSON.stringify(containerName)}`);
    let hostPath = vol.hostPath;
    const subPath = vm.subPathExpr ? expandSubPathExpr(vm.subPathExpr, envMap) : vm.subPath ?? '';
    if (subPath !== '') hostPath = await prepareSubPath(vol.hostPath, subPath, name, containerName);
    const m: Mount = { containerPath: vm.mountPath ?? '', hostPath, readonly: (vm.readOnly ?? false) || vol.mustMountReadOnly, propagation: mountPropagation(vm.mountPropagation) };
    out.push(m);
  }
  return out;
}
