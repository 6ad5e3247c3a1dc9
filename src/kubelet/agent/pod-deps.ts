// The real node's PodDeps: the pod workers' ports (pods/deps.ts) over the pod-spec translation
// (podspec/) and the VolumeManager (volumes/). Called by the pod workers, one call per pod at a
// time; `volumes.setUp` runs before the pod's containers are configured, so the mounted volumes
// it records are there when `makeContainerConfig` asks for them.
import type { Pod } from '../../api/index.js';
import type { ImageService } from '../../runtime/index.js';
import { credentialsForImage } from '../../runtime/index.js';
import type { PodDeps } from '../pods/deps.js';
import { containerConfigFor, sandboxConfigFor, type NodeContext, type ObjectSource } from '../podspec/index.js';
import { VolumeSetupError, type MountedVolume, type VolumeManager } from '../volumes/index.js';

export interface NodePodDepsOptions {
  /** The node's context; read at every call (allocatable becomes known after registration). */
  node: () => NodeContext;
  objects: ObjectSource;
  volumes: VolumeManager;
  images: Pick<ImageService, 'imageStatus'>;
}

export function nodePodDeps(o: NodePodDepsOptions): PodDeps {
  const mounted = new Map<string, ReadonlyMap<string, MountedVolume>>();
  return {
    async makeSandboxConfig(pod) {
      return sandboxConfigFor(pod, o.node());
    },
    async makeContainerConfig(pod, container, ctx) {
      const uid = pod.metadata?.uid ?? '';
      const volumes = mounted.get(uid) ?? await o.volumes.setUp(pod);
      const image = await o.images.imageStatus(ctx.imageRef);
      // Its CreateContainerConfigError is the pod workers' ContainerConfigError (one class).
      return containerConfigFor(pod, container, {
        node: o.node(), objects: o.objects, podIPs: ctx.podIP ? [ctx.podIP] : [], restartCount: ctx.restartCount,
        imageRef: ctx.imageRef, imageUser: image?.user, volumes, podContainerDir: o.volumes.containerDir(uid, container.name ?? ''),
      });
    },
    volumes: {
      // Set up once, then refreshed on every sync (configMap, secret, downwardAPI and projected
      // contents follow their objects, as upstream's periodic volume remount does).
      async setUp(pod: Pod) {
        const uid = pod.metadata?.uid ?? '';
        if (!mounted.has(uid)) mounted.set(uid, await o.volumes.setUp(pod));
        else {
          // A refresh that fails (the object is gone) keeps the last contents and does not hold
          // up the pod's sync; the volume manager has recorded FailedMount.
          await o.volumes.update(pod).catch((e: unknown) => {
            if (!(e instanceof VolumeSetupError)) throw e;
          });
        }
        return new Map();
      },
      async tearDown(uid: string) {
        mounted.delete(uid);
        await o.volumes.tearDown(uid);
      },
    },
    async pullSecrets(pod) {
      const ns = pod.metadata?.namespace ?? '';
      const configs: string[] = [];
      for (const ref of pod.spec?.imagePullSecrets ?? []) {
        const secret = await o.objects.getSecret(ns, ref.name ?? '');
        const data = secret?.data?.['.dockerconfigjson'] ?? secret?.data?.['.dockercfg'];
        if (data) configs.push(Buffer.from(data, 'base64').toString('utf8'));
      }
      // The credentials are matched per image by the puller; all of them are offered here.
      const images = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? '');
      return [...new Map(images.flatMap((i) => credentialsForImage(configs, i)).map((a) => [JSON.stringify(a), a])).values()];
    },
  };
}
