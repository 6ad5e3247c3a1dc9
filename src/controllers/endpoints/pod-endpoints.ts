// Pure helpers shared by the endpoints and endpointslice controllers (upstream
// pkg/api/v1/pod FindPort and endpointslice util ShouldPodBeInEndpoints, podToEndpointAddress).
import type { Pod, Service, ServicePort } from '../../api/index.js';

/** A reference to the pod an address belongs to (EndpointAddress.targetRef). */
export interface PodRef {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
}

/**
 * The container port a service port reaches on `pod` (upstream FindPort): a named targetPort is
 * looked up among the containers' (and sidecar init containers') ports with the same name and
 * protocol; a number is used as is; no targetPort means the service port. Undefined when a name
 * resolves to nothing (the pod then offers no such port).
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort;
  if (typeof target === 'string') {
    const protocol = svcPort.protocol ?? 'TCP';
    const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
    for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
      for (const p of c.ports ?? []) {
        if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
      }
    }
    return undefined;
  }
  return target === undefined || target === 0 ? svcPort.port : target;
}

/**
 * Whether a pod belongs in a service's endpoints at all (upstream ShouldPodBeInEndpoints): it
 * needs an IP; a terminating pod only when `includeTerminating`; a pod that will not run again
 * (Succeeded or Failed under its restartPolicy) never.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return phase !== 'Failed' && phase !== 'Succeeded';
  if (policy === 'OnFailure') return phase !== 'Succeeded';
  return true;
}

export function podRef(pod: Pod): PodRef {
  return { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

/** The pod's DNS hostname under this service: set only when its subdomain is the service (upstream). */
export function podHostname(pod: Pod, svc: Service): string | undefined {
  const h = pod.spec?.hostname;
  if (h && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace) return h;
  return undefined;
}

/** The service has a cluster IP (upstream IsServiceIPSet); headless services do not. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}
