import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pods, type Pod } from './pod.js';
import { imageTag, defaultImagePullPolicy } from './pod-defaults.js';
import { formatFieldError } from '../field-errors.js';

/** A pod as a client sends it, defaulted as the server would. */
function pod(spec: Record<string, unknown> = {}): Pod {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } } as Pod;
  pods.defaults!(p);
  return p;
}

function messages(p: Pod, old?: Pod): string[] {
  const errs = old ? pods.validateUpdate!(p, old, { namespace: 'default' }) : pods.validate!(p, { namespace: 'default' });
  return errs.map(formatFieldError);
}

test('pod defaults match upstream', () => {
  const p = pod({
    containers: [{
      name: 'app', image: 'nginx', ports: [{ containerPort: 80 }],
      livenessProbe: { httpGet: { port: 80 } },
      resources: { limits: { cpu: '1', memory: '1Gi' } },
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    }],
    volumes: [{ name: 'a' }, { name: 'cm', configMap: { name: 'x' } }, { name: 'h', hostPath: { path: '/tmp' } }, { name: 's', secret: { secretName: 's' } }],
  });
  const spec = p.spec!;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.enableServiceLinks, true);
  assert.deepEqual(spec.securityContext, {});
  const c = spec.containers![0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports![0].protocol, 'TCP');
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.resources!.requests, { cpu: '1', memory: '1Gi' });
  assert.equal(c.env![0].valueFrom!.fieldRef!.apiVersion, 'v1');
  assert.deepEqual(spec.volumes![0].emptyDir, {});
  assert.equal(spec.volumes![1].configMap!.defaultMode, 420);
  assert.equal(spec.volumes![2].hostPath!.type, '');
  assert.equal(spec.volumes![3].secret!.defaultMode, 420);
  assert.deepEqual(messages(p), []);
});

test('imagePullPolicy follows the image tag', () => {
  const cases: [string, string, string][] = [
    ['nginx', 'latest', 'Always'],
    ['nginx:latest', 'latest', 'Always'],
    ['nginx:1.25', '1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'latest', 'Always'],
    ['localhost:5000/app:v1', 'v1', 'IfNotPresent'],
    ['nginx@sha256:abc', '', 'IfNotPresent'],
    ['nginx:latest@sha256:abc', 'latest', 'Always'],
  ];
  for (const [image, tag, policy] of cases) {
    assert.equal(imageTag(image), tag, image);
    assert.equal(defaultImagePullPolicy(image), policy, image);
  }
});

test('hostNetwork pods get hostPort = containerPort', () => {
  const p = pod({ hostNetwork: true, containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 8080 }] }] });
  assert.equal(p.spec!.containers![0].ports![0].hostPort, 8080);
  assert.deepEqual(messages(p), []);
});

test('prepareForCreate sets Pending and the QoS class', () => {
  const cases: [Record<string, unknown> | undefined, string][] = [
    [undefined, 'BestEffort'],
    [{ limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, 'Burstable'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ limits: { cpu: '1' } }, 'Burstable'],
    [{ requests: { cpu: '0' } }, 'BestEffort'],
  ];
  for (const [resources, qos] of cases) {
    const p = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', resources }] }, status: { phase: 'Running' } } as Pod;
    pods.prepareForCreate!(p);
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: qos }, JSON.stringify(resources));
  }
  const gated = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }], schedulingGates: [{ name: 'example.com/wait' }] } } as Pod;
  pods.prepareForCreate!(gated);
  assert.equal(gated.status!.conditions![0].reason, 'SchedulingGated');
});

test('invalid pods give upstream paths and messages', () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ containers: [] }, ['spec.containers: Required value']],
    [{ containers: [{ name: 'a' }] }, ['spec.containers[0].image: Required value']],
    [{ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }, ['spec.containers[1].name: Duplicate value: "a"']],
    [{ initContainers: [{ name: 'app', image: 'x' }] }, ['spec.containers[0].name: Duplicate value: "app"']],
    [{ containers: [{ name: 'A_b', image: 'x' }] }, ['spec.containers[0].name: Invalid value: "A_b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')']],
    [{ restartPolicy: 'Sometimes' }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [{ dnsPolicy: 'Custom' }, ['spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"']],
    [{ dnsPolicy: 'None' }, ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']],
    [{ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    [{ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }, ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    [{ containers: [{ name: 'a', image: 'x', env: [{ name: '1A' }] }] }, [`spec.containers[0].env[0].name: Invalid value: "1A": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`]],
    [{ volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] }, ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type']],
    [{ volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }, ['spec.volumes[1].name: Duplicate value: "v"']],
    [{ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'missing', mountPath: '/m' }] }] }, ['spec.containers[0].volumeMounts[0].name: Not found: "missing"']],
    [{ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }, ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']],
    [{ containers: [{ name: 'a', image: 'x', resources: { limits: { memory: '-1' } } }] }, ['spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0', 'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0']],
    [{ containers: [{ name: 'a', image: 'x', livenessProbe: { exec: { command: ['true'] }, successThreshold: 2, periodSeconds: -1 } }] }, ['spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0', 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    [{ containers: [{ name: 'a', image: 'x', readinessProbe: {} }] }, ['spec.containers[0].readinessProbe: Required value: must specify a handler type']],
    [{ containers: [{ name: 'a', image: 'x', restartPolicy: 'Always' }] }, ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']],
    [{ initContainers: [{ name: 'i', image: 'x', restartPolicy: 'Never' }] }, ['spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    [{ initContainers: [{ name: 'i', image: 'x', readinessProbe: { tcpSocket: { port: 80 } } }] }, ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always']],
    [{ tolerations: [{ key: 'k', operator: 'Bigger' }] }, ['spec.tolerations[0].operator: Unsupported value: "Bigger": supported values: "Equal", "Exists"']],
    [{ tolerations: [{ operator: 'Equal', value: 'v' }] }, ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"']],
    [{ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, ['spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set']],
    [{ activeDeadlineSeconds: 0 }, ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    [{ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { a: 'b' } } }] } } }, ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty']],
    [{ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } } }, ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\'']],
    [{ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }, ['spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero']],
    [{ hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 81 }] }] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true']],
  ];
  for (const [spec, want] of cases) assert.deepEqual(messages(pod(spec)).sort(), [...want].sort(), JSON.stringify(spec));
});

test('ephemeral containers cannot be set on create', () => {
  const p = pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] });
  assert.deepEqual(messages(p), ['spec.ephemeralContainers: Forbidden: cannot be set on create']);
});

test('pod updates may change only images, deadlines, added tolerations', () => {
  const old = pod({ activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists' }] });
  const ok = structuredClone(old);
  ok.spec!.containers![0].image = 'nginx:1.26';
  ok.spec!.activeDeadlineSeconds = 50;
  ok.spec!.tolerations!.push({ key: 'b', operator: 'Exists' });
  assert.deepEqual(messages(ok, old), []);

  const ports = structuredClone(old);
  ports.spec!.containers![0].ports = [{ containerPort: 80, protocol: 'TCP' }];
  const [msg] = messages(ports, old);
  assert.match(msg, /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);

  const longer = structuredClone(old);
  longer.spec!.activeDeadlineSeconds = 200;
  assert.deepEqual(messages(longer, old), ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);

  const removed = structuredClone(old);
  removed.spec!.tolerations = [];
  assert.ok(messages(removed, old).includes('spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'));

  const more = structuredClone(old);
  more.spec!.containers!.push({ name: 'b', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' });
  assert.deepEqual(messages(more, old), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('pod selectable fields', () => {
  const p = pod({ nodeName: 'n1', hostNetwork: true });
  p.status = { phase: 'Running', podIPs: [{ ip: '10.42.0.5' }], podIP: '10.42.0.5' };
  const f = pods.selectableFields!;
  assert.deepEqual(Object.keys(f).sort(), ['spec.hostNetwork', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.nominatedNodeName', 'status.phase', 'status.podIP']);
  assert.equal(f['spec.nodeName'](p), 'n1');
  assert.equal(f['spec.hostNetwork'](p), 'true');
  assert.equal(f['status.phase'](p), 'Running');
  assert.equal(f['status.podIP'](p), '10.42.0.5');
  assert.equal(f['spec.restartPolicy'](p), 'Always');
});
