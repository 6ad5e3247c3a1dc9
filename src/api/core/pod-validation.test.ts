// Table-driven checks of the PodSpec rules not covered by pod.test.ts: volumes and their sources,
// env/envFrom, DNS config, affinity terms, security context, init containers as sidecars.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePodSpec } from './pod-validation.js';
import { defaultPodSpec } from './pod-defaults.js';
import type { PodSpec } from './pod-spec.js';
import { formatFieldError } from '../field-errors.js';

function errors(spec: Record<string, unknown>): string[] {
  const s = { containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec } as PodSpec;
  defaultPodSpec(s);
  return validatePodSpec(s, 'spec').map(formatFieldError).sort();
}

const app = (extra: Record<string, unknown>) => ({ containers: [{ name: 'app', image: 'busybox:1.36', ...extra }] });

test('valid pod specs pass', () => {
  const cases: Record<string, unknown>[] = [
    { volumes: [
      { name: 'cm', configMap: { name: 'cfg', items: [{ key: 'a', path: 'dir/a', mode: 0o600 }] } },
      { name: 'sec', secret: { secretName: 's' } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'x' } }] } },
      { name: 'down', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } }] } },
      { name: 'pvc', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'nfs', nfs: { server: 'nas', path: '/export' } },
      { name: 'csi', csi: { driver: 'example.csi.k8s.io' } },
      { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
    ], ...app({ volumeMounts: [{ name: 'cm', mountPath: '/etc/cfg' }, { name: 'pvc', mountPath: '/data', subPath: 'x' }] }) },
    app({ env: [{ name: 'A', value: 'b' }, { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }], envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }] }),
    { initContainers: [{ name: 'sidecar', image: 'envoy:1', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 9901 } } }], ...app({}) },
    { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local.'], options: [{ name: 'ndots', value: '2' }] } },
    { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }] } } },
    { securityContext: { runAsUser: 1000, fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } },
    { schedulingGates: [{ name: 'example.com/quota' }], readinessGates: [{ conditionType: 'example.com/ready' }], hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }] },
  ];
  for (const spec of cases) assert.deepEqual(errors(spec), [], JSON.stringify(spec));
});

test('invalid pod specs give upstream paths and messages', () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ volumes: [{ name: 'v', configMap: {} }] }, ['spec.volumes[0].configMap.name: Required value']],
    [{ volumes: [{ name: 'v', secret: { secretName: 's', defaultMode: 0o1000 } }] }, ['spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive']],
    [{ volumes: [{ name: 'v', configMap: { name: 'c', items: [{ key: 'k', path: '../etc' }] } }] }, ['spec.volumes[0].configMap.items[0].path: Invalid value: "../etc": must not contain \'..\'']],
    [{ volumes: [{ name: 'v', hostPath: { path: '/x', type: 'Weird' } }] }, ['spec.volumes[0].hostPath.type: Unsupported value: "Weird": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"']],
    [{ volumes: [{ name: 'v', persistentVolumeClaim: {} }] }, ['spec.volumes[0].persistentVolumeClaim.claimName: Required value']],
    [{ volumes: [{ name: 'v', nfs: { server: 'nas', path: 'rel' } }] }, ['spec.volumes[0].nfs.path: Invalid value: "rel": must be an absolute path']],
    [{ volumes: [{ name: 'v', downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } }] } }] }, ['spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"']],
    [{ volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 60 } }] } }] }, ['spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes']],
    [{ volumes: [{ name: 'Bad_Name', emptyDir: {} }] }, ['spec.volumes[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')']],
    [{ volumes: [{ name: 'v', emptyDir: {} }], ...app({ volumeMounts: [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }] }) }, ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique']],
    [{ volumes: [{ name: 'v', emptyDir: {} }], ...app({ volumeMounts: [{ name: 'v', mountPath: '/a', subPath: '/abs' }] }) }, ['spec.containers[0].volumeMounts[0].subPath: Invalid value: "/abs": must be a relative path']],
    [app({ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }), ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty']],
    [app({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }] }), ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.hostname": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"']],
    [app({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'a b' } } }] }), ['spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: "a b": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')']],
    [app({ envFrom: [{ prefix: 'P_' }] }), ['spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`']],
    [app({ envFrom: [{ configMapRef: { name: 'a' }, secretRef: { name: 'b' } }] }), ['spec.containers[0].envFrom: Invalid value: "": may not have more than one field specified at a time']],
    [app({ imagePullPolicy: 'Sometimes' }), ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']],
    [app({ livenessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 } } }), ['spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type']],
    [app({ readinessProbe: { httpGet: { port: 'HTTP' } } }), ['spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)']],
    [app({ lifecycle: { preStop: { sleep: { seconds: 60 } } } }), ['spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30)']],
    [app({ ports: [{ containerPort: 80, name: 'web' }, { containerPort: 81, name: 'web' }] }), ['spec.containers[0].ports[1].name: Duplicate value: "web"']],
    [{ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: 'b', image: 'x', ports: [{ containerPort: 81, hostPort: 8080 }] }] }, ['spec.containers[1].ports[0].hostPort: Duplicate value: "8080/TCP"']],
    [app({ resources: { requests: { 'example.com/gpu': '1' } } }), ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources']],
    [app({ resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } } }), ['spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2']],
    [{ dnsPolicy: 'None', dnsConfig: {} }, ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']],
    [{ dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] } }, ['spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","1.0.0.1","8.8.8.8","8.8.4.4"]: must not have more than 3 nameservers']],
    [{ dnsConfig: { nameservers: ['dns.local'] } }, ['spec.dnsConfig.nameservers[0]: Invalid value: "dns.local": must be valid IP address']],
    [{ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }, ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term']],
    [{ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } } }, ['spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100']],
    [{ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['n'] }] }] } } } }, ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Unsupported value: "metadata.uid": supported values: "metadata.name"']],
    [{ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } }] } } }, ['spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'']],
    [{ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }] }, ['spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway']],
    [{ securityContext: { runAsUser: -1 } }, ['spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive']],
    [{ hostAliases: [{ ip: '10.0.0.300', hostnames: ['ok', 'Not_OK'] }] }, ['spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)', 'spec.hostAliases[0].hostnames[1]: Invalid value: "Not_OK": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')']],
    [{ schedulingGates: [{ name: 'g' }, { name: 'g' }] }, ['spec.schedulingGates[1].name: Duplicate value: "g"']],
    [{ nodeSelector: { 'bad key!': 'v' } }, ['spec.nodeSelector: Invalid value: "bad key!": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')']],
    [{ ephemeralContainers: [{ name: 'dbg', image: 'busybox', ports: [{ containerPort: 80 }], targetContainerName: 'nope' }] }, ['spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container', 'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"']],
  ];
  for (const [spec, want] of cases) assert.deepEqual(errors(spec), [...want].sort(), JSON.stringify(spec));
});
