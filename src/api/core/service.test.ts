import { test } from 'node:test';
import assert from 'node:assert/strict';
import { services, type Service } from './service.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

function create(svc: Service): string[] {
  services.prepareForCreate!(svc);
  services.defaults!(svc);
  return show(services.validate!(svc, ctx));
}

test('service defaults as upstream SetDefaults_Service', () => {
  const svc: Service = { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  assert.deepEqual(create(svc), []);
  assert.deepEqual(svc.spec, {
    selector: { app: 'web' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
  });

  const lb: Service = { spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443, targetPort: 'https' }] } };
  assert.deepEqual(create(lb), []);
  assert.equal(lb.spec?.externalTrafficPolicy, 'Cluster');
  assert.equal(lb.spec?.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(lb.spec?.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });

  const ext: Service = { spec: { type: 'ExternalName', externalName: 'db.example.com.' } };
  assert.deepEqual(create(ext), []);
  assert.equal(ext.spec?.internalTrafficPolicy, undefined);
  assert.equal(ext.spec?.ipFamilyPolicy, undefined);
});

test('service validation: upstream paths and messages', () => {
  const cases: [string, Service, string[]][] = [
    ['ports required', { spec: { selector: { a: 'b' } } }, ['spec.ports: Required value']],
    ['headless needs no ports', { spec: { clusterIP: 'None' } }, []],
    ['names required with several ports', { spec: { ports: [{ port: 80 }, { port: 81, name: 'b' }] } }, ['spec.ports[0].name: Required value']],
    ['duplicate names', { spec: { ports: [{ port: 80, name: 'a' }, { port: 81, name: 'a' }] } }, ['spec.ports[1].name: Duplicate value: "a"']],
    ['bad port', { spec: { ports: [{ port: 70000 }] } }, [
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive', // defaulted from port
    ]],
    ['bad protocol', { spec: { ports: [{ port: 80, protocol: 'HTTP' }] } }, ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['nodePort on ClusterIP', { spec: { ports: [{ port: 80, nodePort: 30080 }] } }, ['spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'']],
    ['unknown type', { spec: { type: 'Magic', ports: [{ port: 80 }] } }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['externalName required', { spec: { type: 'ExternalName' } }, ['spec.externalName: Required value']],
    ['duplicate port+protocol', { spec: { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] } }, ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']],
    ['affinity timeout', { spec: { ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } } },
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400']],
    ['bad clusterIP', { spec: { ports: [{ port: 80 }], clusterIP: '10.43.0.300' } },
      ['spec.clusterIPs[0]: Invalid value: "10.43.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['headless NodePort', { spec: { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] } }, ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services']],
  ];
  for (const [name, svc, want] of cases) assert.deepEqual(create(svc), want, name);
});

test('service update: clusterIP immutable, kept when omitted, free to/from ExternalName', () => {
  const old: Service = { spec: { type: 'ClusterIP', clusterIP: '10.43.0.5', clusterIPs: ['10.43.0.5'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } };
  services.defaults!(old);
  const update = (svc: Service) => {
    services.prepareForUpdate!(svc, old);
    services.defaults!(svc);
    return show(services.validateUpdate!(svc, old, ctx));
  };
  const omitted: Service = { spec: { ports: [{ port: 80 }] } };
  assert.deepEqual(update(omitted), []);
  assert.equal(omitted.spec?.clusterIP, '10.43.0.5');
  assert.deepEqual(update({ spec: { clusterIP: '10.43.0.6', ports: [{ port: 80 }] } }), ['spec.clusterIPs[0]: Invalid value: "10.43.0.6": may not change once set']);
  const toExternal: Service = { spec: { type: 'ExternalName', externalName: 'x.example.com', clusterIP: '10.43.0.5', clusterIPs: ['10.43.0.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' } };
  assert.deepEqual(update(toExternal), []);
  assert.equal(toExternal.spec?.clusterIP, undefined);
});

test('service update: NodePort → ClusterIP drops allocated node ports', () => {
  const old: Service = { spec: { type: 'NodePort', clusterIP: '10.43.0.5', clusterIPs: ['10.43.0.5'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }], externalTrafficPolicy: 'Cluster' } };
  const svc: Service = structuredClone(old);
  svc.spec!.type = 'ClusterIP';
  services.prepareForUpdate!(svc, old);
  services.defaults!(svc);
  assert.equal(svc.spec?.ports?.[0]?.nodePort, undefined);
  assert.equal(svc.spec?.externalTrafficPolicy, undefined);
  assert.deepEqual(show(services.validateUpdate!(svc, old, ctx)), []);
  assert.equal(services.selectableFields!['spec.type']!(svc), 'ClusterIP');
  assert.equal(services.selectableFields!['spec.clusterIP']!(svc), '10.43.0.5');
});

test('service: load balancer fields only on LoadBalancer; healthCheckNodePort fixed once allocated', () => {
  assert.deepEqual(create({ spec: { ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/8'] } }), ['spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is \'LoadBalancer\'']);
  assert.deepEqual(create({ spec: { type: 'LoadBalancer', ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0'] } }),
    ['spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  const old: Service = { spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, clusterIP: '10.43.0.9', clusterIPs: ['10.43.0.9'], ports: [{ port: 80, nodePort: 30001 }] } };
  services.defaults!(old);
  const upd: Service = structuredClone(old);
  upd.spec!.healthCheckNodePort = 31001;
  assert.deepEqual(show(services.validateUpdate!(upd, old, ctx)), ['spec.healthCheckNodePort: Forbidden: field is immutable']);
});
