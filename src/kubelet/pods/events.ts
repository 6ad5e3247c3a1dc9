// How the pod worker reports Events about a pod: the involved object is the pod; the recorder in
// client writes them with source.component kubelet and source.host <node>. Best effort.
import type { KubeObject, Pod } from '../../api/index.js';
import type { EventRecorder } from '../../client/index.js';

export type PodEventSink = (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, containerName?: string) => void;

export function podEventSink(recorder: EventRecorder): PodEventSink {
  return (pod, type, reason, message) => {
    recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata } as KubeObject, type, reason, message);
  };
}
