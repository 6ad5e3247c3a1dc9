// Request-decoder benchmark (not a test): decoding a typical ~2 KiB Pod body against the Pod
// schema (compiled once, then reused), next to a plain JSON copy of the same body for scale.
// Run: node --import tsx bench/decode-bench.ts [iterations, default 20000]
import { RESOURCES, obj, str, int32, int64, bool, list, map, stringMap, quantity, intOrString, resourceSchema, type TSchema } from '../src/api/index.js';
import { decodeObject } from '../src/apiserver/decode/index.js';

const iterations = Number(process.argv[2] ?? 20_000);

/** A compact stand-in used only while the catalogue does not register pods yet. */
function fallbackPodSchema(): TSchema {
  const Port = obj('io.k8s.api.core.v1.ContainerPort', '', { name: str(), containerPort: int32(), protocol: str() });
  const Env = obj('io.k8s.api.core.v1.EnvVar', '', { name: str(), value: str(), valueFrom: obj('io.k8s.api.core.v1.EnvVarSource', '', { fieldRef: obj('io.k8s.api.core.v1.ObjectFieldSelector', '', { fieldPath: str() }) }) });
  const Probe = obj('io.k8s.api.core.v1.Probe', '', {
    httpGet: obj('io.k8s.api.core.v1.HTTPGetAction', '', { path: str(), port: intOrString() }),
    tcpSocket: obj('io.k8s.api.core.v1.TCPSocketAction', '', { port: intOrString() }),
    initialDelaySeconds: int32(), periodSeconds: int32(), failureThreshold: int32(),
  });
  const Container = obj('io.k8s.api.core.v1.Container', '', {
    name: str(), image: str(), imagePullPolicy: str(), args: list(str()), ports: list(Port), env: list(Env),
    resources: obj('io.k8s.api.core.v1.ResourceRequirements', '', { limits: map(quantity()), requests: map(quantity()) }),
    readinessProbe: Probe, livenessProbe: Probe,
    volumeMounts: list(obj('io.k8s.api.core.v1.VolumeMount', '', { name: str(), mountPath: str(), readOnly: bool() })),
    securityContext: obj('io.k8s.api.core.v1.SecurityContext', '', { runAsNonRoot: bool(), allowPrivilegeEscalation: bool(), capabilities: obj('io.k8s.api.core.v1.Capabilities', '', { drop: list(str()) }) }),
  });
  const PodSpec = obj('io.k8s.api.core.v1.PodSpec', '', {
    containers: list(Container),
    volumes: list(obj('io.k8s.api.core.v1.Volume', '', { name: str(), configMap: obj('io.k8s.api.core.v1.ConfigMapVolumeSource', '', { name: str(), defaultMode: int32() }) })),
    nodeSelector: stringMap(),
    tolerations: list(obj('io.k8s.api.core.v1.Toleration', '', { key: str(), operator: str(), effect: str(), tolerationSeconds: int64() })),
    serviceAccountName: str(), terminationGracePeriodSeconds: int64(), restartPolicy: str(), dnsPolicy: str(),
  });
  return resourceSchema('io.k8s.api.core.v1.Pod', { group: '', version: 'v1', kind: 'Pod' }, '', { spec: PodSpec });
}

const registered = RESOURCES.find((r) => r.group === '' && r.kind === 'Pod');
const schema = registered?.schema ?? fallbackPodSchema();

const pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name: 'web-5d8f7c9b4-x2x9q', namespace: 'default',
    labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' },
    annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7c9b4', uid: '6f1c2f4e-1111-2222-3333-444455556666', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    containers: [{
      name: 'app', image: 'registry.example/web:1.2.3', imagePullPolicy: 'IfNotPresent', args: ['--port=8080', '--verbose'],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
      livenessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 3 },
      volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }, { name: 'sidecar', image: 'registry.example/proxy:2.0', ports: [{ containerPort: 15001 }], resources: { limits: { cpu: '50m', memory: '64Mi' } } }],
    volumes: [{ name: 'config', configMap: { name: 'web-config', defaultMode: 420 } }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    serviceAccountName: 'web', terminationGracePeriodSeconds: 30, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
  },
};

const ctx = { kind: 'Pod', apiVersion: 'v1' };
function time(label: string, fn: () => unknown): void {
  for (let i = 0; i < Math.min(2000, iterations); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const us = ((performance.now() - t0) * 1000) / iterations;
  console.log(`${label.padEnd(34)} ${us.toFixed(2).padStart(7)} µs/op`);
}

console.log(`Pod body: ${JSON.stringify(pod).length} bytes; schema: ${registered ? 'registered Pod' : 'fallback'}; ${iterations} iterations`);
const first = decodeObject(schema, pod, ctx);
if (first.unknownFields.length) console.log(`unknown fields: ${first.unknownFields.join(', ')}`);
time('decodeObject', () => decodeObject(schema, pod, ctx));
time('JSON.parse(JSON.stringify(body))', () => JSON.parse(JSON.stringify(pod)));
