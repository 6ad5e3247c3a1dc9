// A StreamingBackend over the runtime alone: pods are found by their sandboxes' metadata
// (namespace, name, uid), containers by name among the sandbox's containers, the newest attempt
// being current and the one before it previous (upstream's `--previous`). The kubelet passes its
// pods (for `/pods` and to tell a container of the spec not yet started from an unknown one).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRuntime, ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import type { ContainerRef, PodRef, StreamingBackend } from './backend.js';

interface PodObject {
  metadata?: { name?: string; namespace?: string; uid?: string };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
}

export interface RuntimeBackendOptions {
  runtime: Pick<ContainerRuntime, 'listPodSandbox' | 'listContainers' | 'exec' | 'attach' | 'portForward' | 'containerStatus'>;
  /** The pods bound to this node (the kubelet's pod manager). */
  pods: () => Promise<unknown[]>;
}

/** Pure: the newest sandbox of a pod (a restarted pod has several; ready ones win). */
export function podSandboxOf(sandboxes: PodSandboxStatus[], namespace: string, name: string): PodSandboxStatus | undefined {
  return sandboxes
    .filter((s) => s.config.namespace === namespace && s.config.name === name)
    .sort((a, b) => Number(b.state === 'ready') - Number(a.state === 'ready') || b.createdAt - a.createdAt)[0];
}

/** Pure: the current and previous instance of a container by attempt (then creation time). */
export function containerInstances(statuses: ContainerStatus[], name: string): { current?: ContainerStatus; previous?: ContainerStatus } {
  const mine = statuses.filter((c) => c.name === name).sort((a, b) => (b.attempt ?? 0) - (a.attempt ?? 0) || b.createdAt - a.createdAt);
  return { current: mine[0], previous: mine[1] };
}

export function runtimeStreamingBackend(o: RuntimeBackendOptions): StreamingBackend {
  const findPodObject = async (namespace: string, name: string) =>
    (await o.pods()).find((p) => (p as PodObject).metadata?.namespace === namespace && (p as PodObject).metadata?.name === name) as PodObject | undefined;
  return {
    listPods: o.pods,
    async getPod(namespace, name): Promise<PodRef | undefined> {
      const obj = await findPodObject(namespace, name);
      const sandbox = podSandboxOf(await o.runtime.listPodSandbox(), namespace, name);
      if (!obj && !sandbox) return undefined;
      return { namespace, name, uid: obj?.metadata?.uid ?? sandbox!.config.uid, sandboxId: sandbox?.state === 'ready' ? sandbox.id : undefined };
    },
    async getContainer(namespace, pod, container): Promise<ContainerRef | undefined> {
      const obj = await findPodObject(namespace, pod);
      const inSpec = !obj || [obj.spec?.containers, obj.spec?.initContainers, obj.spec?.ephemeralContainers].some((cs) => cs?.some((c) => c.name === container));
      if (!inSpec) return undefined;
      const sandbox = podSandboxOf(await o.runtime.listPodSandbox(), namespace, pod);
      if (!sandbox) return obj ? {} : undefined;
      const { current, previous } = containerInstances(await o.runtime.listContainers({ sandboxId: sandbox.id }), container);
      if (!current) return obj ? {} : undefined;
      let previousLogPath = previous?.logPath;
      // The previous instance may be removed while its log stays: `<dir>/<container>/<attempt-1>.log`.
      if (!previousLogPath && (current.attempt ?? 0) > 0 && sandbox.config.logDirectory) {
        const candidate = join(sandbox.config.logDirectory, container, `${(current.attempt ?? 0) - 1}.log`);
        if (existsSync(candidate)) previousLogPath = candidate;
      }
      return { containerId: current.id, logPath: current.logPath, previousLogPath };
    },
    runtime: o.runtime,
  };
}
