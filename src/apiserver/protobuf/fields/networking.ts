// Field numbers of networking/v1: Ingress.
import { always, inline, ptr, type FieldTables } from './spec.js';

export const NETWORKING_FIELDS: FieldTables = {
  'io.k8s.api.networking.v1.HTTPIngressPath': { path: 1, backend: 2, pathType: ptr(3) },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': { paths: 1 },
  'io.k8s.api.networking.v1.Ingress': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.networking.v1.IngressBackend': { resource: 3, service: 4 },
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress': { ip: 1, hostname: 2, ports: 4 },
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus': { ingress: 1 },
  'io.k8s.api.networking.v1.IngressPortStatus': { port: always(1), protocol: always(2), error: ptr(3) },
  'io.k8s.api.networking.v1.IngressRule': { host: 1, ingressRuleValue: inline(2, 'io.k8s.api.networking.v1.IngressRuleValue') },
  'io.k8s.api.networking.v1.IngressRuleValue': { http: 1 },
  'io.k8s.api.networking.v1.IngressServiceBackend': { name: always(1), port: 2 },
  'io.k8s.api.networking.v1.IngressSpec': { defaultBackend: 1, tls: 2, rules: 3, ingressClassName: ptr(4) },
  'io.k8s.api.networking.v1.IngressStatus': { loadBalancer: 1 },
  'io.k8s.api.networking.v1.IngressTLS': { hosts: 1, secretName: 2 },
  'io.k8s.api.networking.v1.ServiceBackendPort': { name: 1, number: 2 },
};
