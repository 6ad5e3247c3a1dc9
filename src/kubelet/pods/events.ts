// How the pod worker reports Events about a pod: the involved object is the pod, with
// `fieldPath: spec.containers{name}` (or `spec.initContainers{name}`) for container events as
// upstream; the recorder writes them with source.component kubelet and source.host <node>.
import type { KubeObject, Pod } from '../../api/index.js';
import type { EventRecorder } from '../../client/index.js';

export type PodEventSink = (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, containerName?: string) => void;

export function podEventSink(recorder: EventRecorder): PodEventSink {
  return (pod, type, reason, message, containerName) => {
    let fieldPath: string | undefined;
    if (containerName !== undefined) {
      const init = (pod.spec?.initContainers ?? []).some((c) => c.name === containerName);
      fieldPath = `spec.${init ? 'initContainers' : 'containers'}{${containerName}}`;
    }
    recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata } as KubeObject, type, reason, message, fieldPath);
  };
}
