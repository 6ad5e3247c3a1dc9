// What the pod workers need from the rest of the node (the pod-spec → CRI translation, volumes,
// pull credentials), as small ports. Real nodes wire the real ones; `simplePodDeps` is enough for
// the fake runtime (tests, `capstan sim`-like setups).
import type { Pod } from '../../api/index.js';
import type { AuthConfig, ContainerConfig, Mount, PodSandboxConfig } from '../../runtime/index.js';
import type { Container } from './runtime-state.js';
import { CreateContainerConfigError as ContainerConfigError } from '../podspec/errors.js';

/**
 * The config builder could not build a container's config (a missing ConfigMap/Secret key, a bad
 * env reference): the container waits with CreateContainerConfigError and this message. One class
 * with the pod-spec translation's error, so its failures need no conversion.
 */
export { CreateContainerConfigError as ContainerConfigError } from '../podspec/errors.js';

export interface ContainerConfigContext {
  /** The container's restart count: the CRI attempt of the container about to be created. */
  restartCount: number;
  podIP?: string;
  /** The pulled image's id (ImageService.pullImage's result). */
  imageRef: string;
  /** This container's mounts, from `PodVolumes.setUp`. */
  mounts: Mount[];
}

export interface PodVolumes {
  /** Makes the pod's volumes ready; resolves with the mounts of each container by name. Idempotent. */
  setUp(pod: Pod): Promise<Map<string, Mount[]>>;
  /** Removes what setUp made for the pod with this uid. Idempotent. */
  tearDown(podUID: string): Promise<void>;
}

export interface PodDeps {
  /** The sandbox config of a pod (the worker adds the CRI labels and the attempt). */
  makeSandboxConfig(pod: Pod): Promise<PodSandboxConfig>;
  /** One container's config (the worker adds labels, attempt and log path). Throws ContainerConfigError. */
  makeContainerConfig(pod: Pod, container: Container, ctx: ContainerConfigContext): Promise<ContainerConfig>;
  volumes: PodVolumes;
  /** Registry credentials from the pod's imagePullSecrets. */
  pullSecrets(pod: Pod): Promise<AuthConfig[]>;
}

/**
 * Pod deps for runtimes that need no host setup (the fake runtime): the sandbox gets `podIP`, the
 * container its command, args, working dir and literal env values; no volumes, no credentials.
 */
export function simplePodDeps(podIP = '127.0.0.1'): PodDeps {
  return {
    async makeSandboxConfig(pod) {
      const m = pod.metadata ?? {};
      return { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', hostname: pod.spec?.hostname ?? m.name, ip: podIP };
    },
    async makeContainerConfig(_pod, c, ctx) {
      const env: { name: string; value: string }[] = [];
      for (const e of c.env ?? []) {
        if (e.valueFrom) throw new ContainerConfigError(`env ${e.name}: valueFrom is not supported by this node`);
        env.push({ name: e.name ?? '', value: e.value ?? '' });
      }
      return {
        name: c.name ?? '', image: c.image ?? '', imageRef: ctx.imageRef, command: c.command, args: c.args, workingDir: c.workingDir, env,
        mounts: ctx.mounts, stdin: c.stdin, stdinOnce: c.stdinOnce, tty: c.tty,
      };
    },
    volumes: { async setUp() { return new Map(); }, async tearDown() {} },
    async pullSecrets() { return []; },
  };
}
