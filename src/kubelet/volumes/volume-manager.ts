// The pod volumes on disk: `<podsDir>/<uid>/volumes/<plugin>/<name>` with upstream's plugin
// directory names. The pod worker calls `setUp(pod)` before creating the sandbox (and may call it
// again: it is idempotent), `update(pod)` periodically to refresh configMap, secret, downwardAPI
// and projected contents, `tearDown(uid)` once the pod's containers are gone, and
// `cleanupOrphans(knownUids)` at start and housekeeping. Calls for one pod must not overlap.
import { mkdir, readdir, rm, chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { quantityValue } from '../../api/light.js';
import type { Pod } from '../../api/index.js';
import type { Volume } from '../podspec/spec-types.js';
import type { ObjectSource } from '../podspec/object-source.js';
import type { PodEventRecorder } from '../podspec/node-context.js';
import { writeAtomic, type Payload } from './atomic-writer.js';
import { checkHostPathType } from './host-path.js';
import { mountTmpfs, unmountUnder } from './mounts.js';
import { setVolumeOwnership, ownershipMatches, OWNERSHIP_MODE_MASK } from './ownership.js';
import { configMapPayload, secretPayload, downwardAPIPayload, DEFAULT_MODE } from './payloads.js';
import type { MountedVolume } from './container-mounts.js';
import { claimVolume } from './claims.js';
import { PLUGIN_EMPTY_DIR, PLUGIN_CONFIGMAP, PLUGIN_SECRET, PLUGIN_DOWNWARD_API, PLUGIN_PROJECTED, PLUGIN_HOST_PATH } from './plugins.js';

export {
  PLUGIN_EMPTY_DIR, PLUGIN_CONFIGMAP, PLUGIN_SECRET, PLUGIN_DOWNWARD_API, PLUGIN_PROJECTED, PLUGIN_HOST_PATH, PLUGIN_LOCAL,
} from './plugins.js';

/** One volume that could not be set up; `message` is upstream's FailedMount text. */
export interface VolumeFailure { volume: string; message: string }

/** Some of a pod's volumes are not ready; the pod worker retries on its next sync. */
export class VolumeSetupError extends Error {
  override name = 'VolumeSetupError';
  constructor(readonly failures: VolumeFailure[]) {
    super(failures.map((f) => f.message).join('; '));
  }
}

export interface VolumeManagerOptions {
  /** The kubelet's pods directory (e.g. `/var/lib/capstan/agent/pods`). */
  podsDir: string;
  objects: ObjectSource;
  /** Node allocatable: the default size of memory-backed volumes and unset limits in downwardAPI files. */
  allocatable: Record<string, string>;
  recordEvent?: PodEventRecorder;
}

/** The volumes that refresh from their objects. */
const REFRESHED = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

function pluginOf(v: Volume): string | undefined {
  if (v.emptyDir) return PLUGIN_EMPTY_DIR;
  if (v.configMap) return PLUGIN_CONFIGMAP;
  if (v.secret) return PLUGIN_SECRET;
  if (v.downwardAPI) return PLUGIN_DOWNWARD_API;
  if (v.projected) return PLUGIN_PROJECTED;
  return undefined;
}

/** The pod's memory limit as its cgroup gets it: the sum over containers (at least the largest init container), when all have one. */
function podMemoryLimit(pod: Pod): number | undefined {
  let sum = 0;
  for (const c of pod.spec?.containers ?? []) {
    const q = c.resources?.limits?.memory;
    if (q === undefined) return undefined;
    sum += quantityValue(q);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const q = c.resources?.limits?.memory;
    if (q === undefined) return undefined;
    sum = Math.max(sum, quantityValue(q));
  }
  return sum;
}

/** Upstream calculateEmptyDirMemorySize: the node's allocatable, lowered to the pod's limit, then to sizeLimit. */
export function memoryVolumeSize(pod: Pod, sizeLimit: string | undefined, allocatableMemory: string | undefined): number | undefined {
  let size = allocatableMemory === undefined ? undefined : quantityValue(allocatableMemory);
  const podLimit = podMemoryLimit(pod);
  if (podLimit !== undefined && podLimit > 0 && (size === undefined || podLimit <= size)) size = podLimit;
  const volLimit = sizeLimit === undefined ? undefined : quantityValue(sizeLimit);
  if (volLimit !== undefined && volLimit > 0 && (size === undefined || volLimit <= size)) size = volLimit;
  return size;
}

export class VolumeManager {
  private readonly mounted = new Map<string, Map<string, MountedVolume>>();
  /** Projected volumes' sources that could not be served, reported once per pod and volume. */
  private readonly reported = new Set<string>();
  /** The last queued operation per pod uid: operations on one pod run one after another. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: VolumeManagerOptions) {}

  /** `<podsDir>/<uid>`. */
  podDir(uid: string): string {
    return path.join(this.opts.podsDir, uid);
  }

  /** `<podsDir>/<uid>/containers/<name>`: per-container files (termination logs); removed by tearDown. */
  containerDir(uid: string, containerName: string): string {
    return path.join(this.podDir(uid), 'containers', containerName);
  }

  volumeDir(uid: string, plugin: string, name: string): string {
    return path.join(this.podDir(uid), 'volumes', plugin, name);
  }

  /** The pod's volumes set up so far (after a successful `setUp`, all of them). */
  volumesFor(uid: string): ReadonlyMap<string, MountedVolume> {
    return this.mounted.get(uid) ?? new Map();
  }

  /**
   * Sets up every volume of the pod (idempotent; refreshes contents). Throws VolumeSetupError
   * naming each volume that failed, after trying all of them; records a FailedMount event each.
   */
  async setUp(pod: Pod): Promise<ReadonlyMap<string, MountedVolume>> {
    return this.serial(pod.metadata?.uid ?? '', () => this.sync(pod, () => true));
  }

  /**
   * Refreshes configMap, secret, downwardAPI and projected volumes from their current objects.
   * A volume whose object is gone keeps its last content (the error is thrown and recorded).
   */
  async update(pod: Pod): Promise<void> {
    await this.serial(pod.metadata?.uid ?? '', () => this.sync(pod, (v) => Object.keys(v).some((k) => REFRESHED.has(k))));
  }

  /** Runs `op` after every earlier operation on the same pod has settled. */
  private serial<T>(uid: string, op: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(uid) ?? Promise.resolve();
    const next = prev.then(op, op);
    const settled = next.catch(() => undefined);
    this.queues.set(uid, settled);
    void settled.then(() => { if (this.queues.get(uid) === settled) this.queues.delete(uid); });
    return next;
  }

  private async sync(pod: Pod, which: (v: Volume) => boolean): Promise<ReadonlyMap<string, MountedVolume>> {
    const uid = pod.metadata?.uid ?? '';
    if (!uid) throw new Error('pod has no uid');
    let vols = this.mounted.get(uid);
    if (!vols) { vols = new Map(); this.mounted.set(uid, vols); }
    const failures: VolumeFailure[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      if (!which(v)) continue;
      const name = v.name ?? '';
      try {
        vols.set(name, await this.setUpVolume(pod, v));
      } catch (err) {
        const message = `MountVolume.SetUp failed for volume ${JSON.stringify(name)} : ${(err as Error).message}`;
        failures.push({ volume: name, message });
        this.opts.recordEvent?.(pod, 'Warning', 'FailedMount', message);
      }
    }
    if (failures.length > 0) throw new VolumeSetupError(failures);
    return vols;
  }

  private async setUpVolume(pod: Pod, v: Volume): Promise<MountedVolume> {
    const uid = pod.metadata!.uid!;
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    const name = v.name ?? '';
    if (v.hostPath) {
      await checkHostPathType(v.hostPath.path ?? '', v.hostPath.type);
      return { name, plugin: PLUGIN_HOST_PATH, hostPath: v.hostPath.path ?? '', mustMountReadOnly: false };
    }
    if (v.persistentVolumeClaim || v.ephemeral) {
      const claim = v.persistentVolumeClaim?.claimName ?? `${pod.metadata?.name ?? ''}-${name}`;
      return claimVolume(this.opts.objects, pod, claim, name, v.persistentVolumeClaim?.readOnly ?? false, !v.persistentVolumeClaim);
    }
    const plugin = pluginOf(v);
    if (!plugin) throw new Error(`volume ${JSON.stringify(name)} has a source this node does not support`);
    if (v.emptyDir?.medium && v.emptyDir.medium !== 'Memory') throw new Error(`unknown storage medium ${JSON.stringify(v.emptyDir.medium)}`);
    const dir = this.volumeDir(uid, plugin, name);
    const memory = v.emptyDir?.medium === 'Memory' || !!v.secret || !!v.projected;
    await mkdir(dir, { recursive: true, mode: 0o750 });
    if (memory) await mountTmpfs(dir, memoryVolumeSize(pod, v.emptyDir?.sizeLimit, this.opts.allocatable.memory));
    if (v.emptyDir) {
      // Upstream setupDir: the volume root is world-writable (0777) whatever the umask.
      if (((await stat(dir)).mode & 0o777) !== 0o777) await chmod(dir, 0o777);
      if (fsGroup !== undefined && !(pod.spec?.securityContext?.fsGroupChangePolicy === 'OnRootMismatch' && await ownershipMatches(dir, fsGroup))) {
        await setVolumeOwnership(dir, fsGroup, false);
      }
      return { name, plugin, hostPath: dir, mustMountReadOnly: false };
    }
    const payload = await this.payloadOf(pod, v);
    await writeAtomic(dir, payload, {
      setPerms: fsGroup === undefined ? undefined : (tsDir) => setVolumeOwnership(tsDir, fsGroup, true),
      permsMask: fsGroup === undefined ? 0 : OWNERSHIP_MODE_MASK,
    });
    return { name, plugin, hostPath: dir, mustMountReadOnly: true };
  }

  private async payloadOf(pod: Pod, v: Volume): Promise<Payload> {
    const ns = pod.metadata?.namespace ?? '';
    const { objects, allocatable } = this.opts;
    if (v.configMap) {
      const name = v.configMap.name ?? '';
      const optional = v.configMap.optional ?? false;
      const cm = await objects.getConfigMap(ns, name);
      if (!cm && !optional) throw new Error(`configmap ${JSON.stringify(name)} not found`);
      return configMapPayload(cm, v.configMap.items, v.configMap.defaultMode ?? DEFAULT_MODE, optional);
    }
    if (v.secret) {
      const name = v.secret.secretName ?? '';
      const optional = v.secret.optional ?? false;
      const s = await objects.getSecret(ns, name);
      if (!s && !optional) throw new Error(`secret ${JSON.stringify(name)} not found`);
      return secretPayload(s, v.secret.items, v.secret.defaultMode ?? DEFAULT_MODE, optional);
    }
    if (v.downwardAPI) {
      return downwardAPIPayload(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_MODE, allocatable);
    }
    return this.projectedPayload(pod, v);
  }

  /** Upstream projected collectData: sources merged in order; errors aggregated. */
  private async projectedPayload(pod: Pod, v: Volume): Promise<Payload> {
    const ns = pod.metadata?.namespace ?? '';
    const mode = v.projected?.defaultMode ?? DEFAULT_MODE;
    const out: Payload = new Map();
    const errors: string[] = [];
    for (const src of v.projected?.sources ?? []) {
      try {
        let part: Payload = new Map();
        if (src.configMap) {
          const name = src.configMap.name ?? '';
          const optional = src.configMap.optional ?? false;
          const cm = await this.opts.objects.getConfigMap(ns, name);
          if (!cm && !optional) throw new Error(`configmap ${JSON.stringify(name)} not found`);
          part = configMapPayload(cm, src.configMap.items, mode, optional);
        } else if (src.secret) {
          const name = src.secret.name ?? '';
          const optional = src.secret.optional ?? false;
          const s = await this.opts.objects.getSecret(ns, name);
          if (!s && !optional) throw new Error(`secret ${JSON.stringify(name)} not found`);
          part = secretPayload(s, src.secret.items, mode, optional);
        } else if (src.downwardAPI) {
          part = downwardAPIPayload(pod, src.downwardAPI.items ?? [], mode, this.opts.allocatable);
        } else if (src.serviceAccountToken || src.clusterTrustBundle) {
          // The API server does not serve TokenRequest (serviceaccounts/token) nor
          // ClusterTrustBundles: the source is left out and the pod is told once.
          const what = src.serviceAccountToken ? `serviceAccountToken (${src.serviceAccountToken.path})` : `clusterTrustBundle (${src.clusterTrustBundle!.path})`;
          const key = `${pod.metadata?.uid}/${v.name}/${what}`;
          if (!this.reported.has(key)) {
            this.reported.add(key);
            this.opts.recordEvent?.(pod, 'Warning', 'FailedMount',
              `MountVolume.SetUp for volume ${JSON.stringify(v.name)}: projected source ${what} skipped: this cluster does not issue service account tokens (TokenRequest is not served)`);
          }
          continue;
        }
        for (const [k, f] of part) out.set(k, f);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
    return out;
  }

  /** Unmounts the pod's tmpfs volumes and removes `<podsDir>/<uid>`. Idempotent. Refuses to delete while anything stays mounted. */
  async tearDown(uid: string): Promise<void> {
    if (!uid || uid.includes('/') || uid === '.' || uid === '..') throw new Error(`invalid pod uid ${JSON.stringify(uid)}`);
    return this.serial(uid, () => this.removePodDir(uid));
  }

  private async removePodDir(uid: string): Promise<void> {
    const dir = this.podDir(uid);
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true });
    this.mounted.delete(uid);
    for (const k of this.reported) if (k.startsWith(`${uid}/`)) this.reported.delete(k);
  }

  /** Tears down the directories of pods not in `knownUids`; resolves with their uids. */
  async cleanupOrphans(knownUids: Iterable<string>): Promise<string[]> {
    const known = new Set(knownUids);
    let entries: string[];
    try { entries = await readdir(this.opts.podsDir); } catch { return []; }
    const removed: string[] = [];
    for (const uid of entries) {
      if (known.has(uid)) continue;
      await this.tearDown(uid);
      removed.push(uid);
    }
    return removed;
  }
}
