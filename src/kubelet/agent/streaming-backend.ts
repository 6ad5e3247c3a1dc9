// The kubelet server's view of this node (server/backend.ts): pods come from the API (bound to
// this node), containers and sandboxes from the runtime, matched by the CRI labels the pod
// workers put on them. Read per request: logs, exec, attach and port-forward are rare next to
// the pod workers' own traffic, and the runtime's lists are the truth after a restart.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pods as podsResource, type Pod } from '../../api/index.js';
import type { Client, KubeList } from '../../client/index.js';
import type { ContainerRuntime, ContainerStatus } from '../../runtime/index.js';
import { containerAttempt } from '../pods/labels.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from '../podspec/labels.js';
import type { ContainerRef, PodRef, StreamingBackend } from '../server/index.js';

export function nodeStreamingBackend(client: Client, nodeName: string, runtime: ContainerRuntime): StreamingBackend {
  const api = client.resource(podsResource);
  const podOnNode = async (namespace: string, name: string): Promise<Pod | undefined> => {
    const pod = await api.get(namespace, name).catch(() => undefined) as Pod | undefined;
    return pod?.spec?.nodeName === nodeName ? pod : undefined;
  };
  return {
    async listPods() {
      return ((await api.list('', { fieldSelector: `spec.nodeName=${nodeName}` })) as KubeList).items;
    },
    async getPod(namespace, name): Promise<PodRef | undefined> {
      const pod = await podOnNode(namespace, name);
      if (!pod) return undefined;
      const uid = pod.metadata?.uid ?? '';
      const sandbox = (await runtime.listPodSandbox())
        .filter((s) => (s.config.labels?.[POD_UID_LABEL] ?? s.config.uid) === uid && s.state === 'ready')
        .sort((a, b) => b.createdAt - a.createdAt)[0];
      return { namespace, name, uid, sandboxId: sandbox?.id };
    },
    async getContainer(namespace, name, container): Promise<ContainerRef | undefined> {
      const pod = await podOnNode(namespace, name);
      const specs = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
      if (!pod || !specs.some((c) => c.name === container)) return undefined;
      const uid = pod.metadata?.uid ?? '';
      const instances = (await runtime.listContainers())
        .filter((c) => c.labels?.[POD_UID_LABEL] === uid && (c.labels?.[CONTAINER_NAME_LABEL] ?? c.name) === container)
        .sort((a, b) => containerAttempt(b) - containerAttempt(a) || b.createdAt - a.createdAt);
      const current: ContainerStatus | undefined = instances[0];
      if (!current) {
        const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === container);
        return { waitingReason: status?.state?.waiting?.reason ?? 'ContainerCreating' };
      }
      // The previous instance's file: `<restartCount - 1>.log` beside the current one, if still there.
      const attempt = containerAttempt(current);
      const previous = current.logPath && attempt > 0 ? path.join(path.dirname(current.logPath), `${attempt - 1}.log`) : undefined;
      return { containerId: current.id, logPath: current.logPath, previousLogPath: previous && existsSync(previous) ? previous : undefined };
    },
    runtime,
  };
}
