// Builders of ServicePortInfo / ProxyState values for this folder's tests.
import type { EndpointInfo, ProxyState, ServicePortInfo } from '../model.js';

export function endpoint(ip: string, extra: Partial<EndpointInfo> = {}): EndpointInfo {
  return { ip, port: 8080, ready: true, serving: true, terminating: false, isLocal: false, ...extra };
}

export function servicePort(name: string, extra: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    key: `default/${name}:http/TCP`, namespace: 'default', name, portName: 'http', protocol: 'TCP',
    clusterIPs: ['10.43.0.5'], port: 80, externalIPs: [], loadBalancerIPs: [],
    internalTrafficLocal: false, externalTrafficLocal: false,
    endpoints: [endpoint('10.42.0.2', { isLocal: true }), endpoint('10.42.1.3')],
    ...extra,
  };
}

export function proxyState(ports: ServicePortInfo[], extra: Partial<ProxyState> = {}): ProxyState {
  return {
    nodeName: 'node-a', nodeIPs: ['192.168.5.1'], clusterCIDRs: ['10.42.0.0/16'],
    servicePorts: new Map(ports.map((p) => [p.key, p])), ...extra,
  };
}
