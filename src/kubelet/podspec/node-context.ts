// What the pod-spec conversions need to know about the node they run on. Built once by the
// kubelet from its flags and the node's status; plain data plus an event sink.
import type { Pod } from '../../api/index.js';

export type EventType = 'Normal' | 'Warning';

/** Records an Event about `pod` (upstream's recorder.Eventf); the kubelet posts it, tests collect it. */
export type PodEventRecorder = (pod: Pod, type: EventType, reason: string, message: string) => void;

export interface NodeContext {
  nodeName: string;
  /** The node's IPs, preferred family first (status.hostIP / status.hostIPs). */
  hostIPs: string[];
  /** Node allocatable (`cpu`, `memory`, `ephemeral-storage`): unset limits default to it in the downward API. */
  allocatable: Record<string, string>;
  /** Bytes of memory the node has: the denominator of a Burstable container's oom_score_adj. */
  memoryCapacityBytes: number;
  /** Cluster DNS servers (`--cluster-dns`); empty: ClusterFirst pods fall back to Default. */
  clusterDNS: string[];
  /** `--cluster-domain`, e.g. `cluster.local`; empty: no cluster search domains. */
  clusterDomain: string;
  /**
   * Text of the host's resolv.conf (`--resolv-conf`), read by the caller. Absent means upstream's
   * `--resolv-conf=""`: Default-policy pods get a localhost nameserver and search `.`.
   */
  hostResolvConf?: string;
  /** Root of the container logs; pod log directories are `<logsDir>/pods/<ns>_<name>_<uid>`. */
  logsDir: string;
  recordEvent?: PodEventRecorder;
}

/** Upstream format.Pod: `name_namespace(uid)`, as kubelet messages name a pod. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}
