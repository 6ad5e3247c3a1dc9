// Acceptance: the real kubectl (oldest and newest supported) drives a fresh Capstan server
// through the everyday workflow. Each step asserts what kubectl printed or what is stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import { kubectl, kubectlAvailable, KUBECTL_VERSIONS, type Kubectl } from './support/kubectl.js';

const MANIFEST = (replicas: number, extraKey: boolean, image = 'nginx:1.25') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: frontend}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  color: blue
${extraKey ? '  size: large\n' : ''}---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
type: Opaque
stringData:
  password: s3cret
`;

for (const version of KUBECTL_VERSIONS) {
  describe(`kubectl ${version} against a fresh server`, { skip: !kubectlAvailable(version) && `kubectl.${version} not installed` }, () => {
    let server: TestServer;
    let k: Kubectl;
    const work = tempDir('capstan-kubectl-');
    const ns = ['-n', 'demo'];

    before(async () => {
      server = await startTestServer();
      k = kubectl(version, server.kubeconfig, join(work.path, 'cache'));
    });
    after(async () => {
      await server?.stop();
      work.remove();
    });

    test('version, cluster-info, api-resources', async () => {
      const v = await k.ok(['version', '-o', 'json']);
      assert.equal(JSON.parse(v).serverVersion.gitVersion, 'v1.31.0+capstan');
      const ci = await k.ok(['cluster-info']);
      assert.match(ci, new RegExp(`Kubernetes control plane.* is running at .*${server.url}`));
      const ar = await k.ok(['api-resources', '-o', 'wide']);
      for (const [name, gv] of [
        ['pods', 'v1'], ['namespaces', 'v1'], ['nodes', 'v1'], ['services', 'v1'], ['endpoints', 'v1'], ['configmaps', 'v1'],
        ['secrets', 'v1'], ['events', 'v1'], ['serviceaccounts', 'v1'], ['limitranges', 'v1'], ['resourcequotas', 'v1'],
        ['persistentvolumes', 'v1'], ['persistentvolumeclaims', 'v1'], ['deployments', 'apps/v1'], ['replicasets', 'apps/v1'],
        ['daemonsets', 'apps/v1'], ['statefulsets', 'apps/v1'], ['controllerrevisions', 'apps/v1'], ['jobs', 'batch/v1'],
        ['cronjobs', 'batch/v1'], ['endpointslices', 'discovery.k8s.io/v1'], ['leases', 'coordination.k8s.io/v1'],
        ['priorityclasses', 'scheduling.k8s.io/v1'], ['poddisruptionbudgets', 'policy/v1'], ['horizontalpodautoscalers', 'autoscaling/v2'],
        ['networkpolicies', 'networking.k8s.io/v1'], ['ingresses', 'networking.k8s.io/v1'],
        ['selfsubjectaccessreviews', 'authorization.k8s.io/v1'], ['selfsubjectrulesreviews', 'authorization.k8s.io/v1'],
      ]) {
        assert.match(ar, new RegExp(`^${name}\\s.*\\s${gv.replace('/', '\\/')}\\s`, 'm'), `${name} ${gv} missing from api-resources`);
      }
      assert.match(ar, /^pods\s+po\s+v1\s+true\s+Pod\s/m);
      assert.match(ar, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s/m);
    });

    test('create namespace, apply a multi-document manifest, apply a change (3-way merge)', async () => {
      assert.match(await k.ok(['create', 'namespace', 'demo']), /namespace\/demo created/);
      const file = join(work.path, 'app.yaml');
      writeFileSync(file, MANIFEST(2, true));
      const out = await k.ok(['apply', ...ns, '-f', file]);
      for (const line of ['deployment.apps/web created', 'service/web created', 'configmap/web-config created', 'secret/web-secret created']) {
        assert.ok(out.includes(line), `${line} in:\n${out}`);
      }
      writeFileSync(file, MANIFEST(3, false));
      const again = await k.ok(['apply', ...ns, '-f', file]);
      assert.match(again, /deployment.apps\/web configured/);
      assert.match(again, /configmap\/web-config configured/);
      assert.match(again, /service\/web unchanged/);
      const dep = JSON.parse(await k.ok(['get', ...ns, 'deployment', 'web', '-o', 'json']));
      assert.equal(dep.spec.replicas, 3);
      assert.equal(dep.metadata.generation, 2);
      const cm = JSON.parse(await k.ok(['get', ...ns, 'configmap', 'web-config', '-o', 'json']));
      assert.deepEqual(cm.data, { color: 'blue' }, 'the removed key disappears');
      const svc = JSON.parse(await k.ok(['get', ...ns, 'service', 'web', '-o', 'json']));
      assert.match(svc.spec.clusterIP, /^10\.43\.\d+\.\d+$/);
      const secret = JSON.parse(await k.ok(['get', ...ns, 'secret', 'web-secret', '-o', 'json']));
      assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cret');
    });

    test('get with -o wide, yaml, json, jsonpath, custom-columns', async () => {
      const wide = await k.ok(['get', ...ns, 'deployments', '-o', 'wide']);
      assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/m);
      assert.match(wide, /^web\s+0\/3\s+0\s+0\s+\S+\s+nginx\s+nginx:1\.25\s+app=web/m);
      const svc = await k.ok(['get', ...ns, 'svc']);
      assert.match(svc, /^web\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+/m);
      const yaml = await k.ok(['get', ...ns, 'cm', 'web-config', '-o', 'yaml']);
      assert.match(yaml, /^kind: ConfigMap$/m);
      assert.match(yaml, /^ {2}color: blue$/m);
      const json = JSON.parse(await k.ok(['get', ...ns, 'cm', '-o', 'json']));
      assert.equal(json.kind, 'List');
      assert.ok(json.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'web-config'));
      assert.equal(await k.ok(['get', ...ns, 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
      const cc = await k.ok(['get', ...ns, 'deploy', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']);
      assert.match(cc, /^NAME\s+REPLICAS\nweb\s+3\n$/);
      const ns1 = await k.ok(['get', 'namespaces']);
      assert.match(ns1, /^NAME\s+STATUS\s+AGE/m);
      assert.match(ns1, /^demo\s+Active\s+/m);
      assert.match(ns1, /^kube-system\s+Active\s+/m);
    });

    test('get -w sees a later change', async () => {
      const watcher = k.spawn(['get', ...ns, 'configmap', 'web-config', '-w', '-o', 'jsonpath={.data.color}{"\\n"}']);
      let seen = '';
      watcher.stdout!.setEncoding('utf8');
      const gotChange = new Promise<void>((resolve) => {
        watcher.stdout!.on('data', (d: string) => {
          seen += d;
          if (seen.includes('green')) resolve();
        });
      });
      try {
        // Wait for the initial state before changing it.
        for (let i = 0; i < 100 && !seen.includes('blue'); i++) await new Promise((r) => setTimeout(r, 50));
        assert.ok(seen.includes('blue'), `initial state not seen: ${seen}`);
        await k.ok(['patch', ...ns, 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"color":"green"}}']);
        await Promise.race([gotChange, new Promise((_, rej) => setTimeout(() => rej(new Error(`watch did not see the change: ${seen}`)), 10_000))]);
      } finally {
        watcher.kill();
        await once(watcher, 'exit');
      }
    });

    test('label, annotate, patch (json, merge, strategic)', async () => {
      await k.ok(['label', ...ns, 'deploy', 'web', 'team=blue']);
      await k.ok(['annotate', ...ns, 'deploy', 'web', 'note=hello']);
      await k.ok(['patch', ...ns, 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
      await k.ok(['patch', ...ns, 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"tier":null}}}']);
      await k.ok(['patch', ...ns, 'deploy', 'web', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}']);
      const dep = JSON.parse(await k.ok(['get', ...ns, 'deploy', 'web', '-o', 'json']));
      assert.equal(dep.metadata.labels.team, 'blue');
      assert.equal(dep.metadata.labels.tier, undefined);
      assert.equal(dep.metadata.annotations.note, 'hello');
      assert.equal(dep.spec.replicas, 4);
      // Upstream puts an element the patch adds before the existing ones it does not mention
      // (the strategic-merge-patch task in the Kubernetes docs shows the added container first).
      assert.deepEqual(dep.spec.template.spec.containers.map((c: { name: string }) => c.name), ['sidecar', 'nginx'], 'strategic merge keeps nginx and adds sidecar');
    });

    test('edit through a scripted editor', async () => {
      const editor = join(work.path, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\nsed -i "s/color: green/color: purple/" "$1"\n');
      chmodSync(editor, 0o755);
      const out = await k.ok(['edit', ...ns, 'configmap', 'web-config'], { env: { KUBE_EDITOR: editor, EDITOR: editor } });
      assert.match(out, /configmap\/web-config edited/);
      assert.equal(await k.ok(['get', ...ns, 'cm', 'web-config', '-o', 'jsonpath={.data.color}']), 'purple');
    });

    test('scale, describe with events, explain', async () => {
      assert.match(await k.ok(['scale', ...ns, 'deploy', 'web', '--replicas=5']), /deployment.apps\/web scaled/);
      assert.equal(await k.ok(['get', ...ns, 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
      const dep = JSON.parse(await k.ok(['get', ...ns, 'deploy', 'web', '-o', 'json']));
      const event = {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'demo' },
        involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'demo', uid: dep.metadata.uid },
        reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-abc to 5', type: 'Normal', count: 1,
        source: { component: 'deployment-controller' }, firstTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'),
      };
      await k.ok(['create', '-f', '-'], { input: JSON.stringify(event) });
      const d = await k.ok(['describe', ...ns, 'deploy', 'web']);
      assert.match(d, /^Name:\s+web$/m);
      assert.match(d, /^Replicas:\s+5 desired/m);
      assert.match(d, /Events:[\s\S]*ScalingReplicaSet[\s\S]*Scaled up replica set web-abc to 5/);
      const ex = await k.ok(['explain', 'pod.spec.containers.resources']);
      assert.match(ex, /FIELDS?:/);
      assert.match(ex, /limits/);
      assert.match(ex, /requests/);
    });

    test('diff shows a pending change', async () => {
      const file = join(work.path, 'diff.yaml');
      writeFileSync(file, MANIFEST(5, false, 'nginx:1.27'));
      const r = await k(['diff', ...ns, '-f', file]);
      assert.equal(r.code, 1, `diff exits 1 when there are differences: ${r.stderr}`);
      assert.match(r.stdout, /^-\s+(- )?image: nginx:1\.25$/m);
      assert.match(r.stdout, /^\+\s+(- )?image: nginx:1\.27$/m);
      assert.equal(await k.ok(['get', ...ns, 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[?(@.name=="nginx")].image}']), 'nginx:1.25', 'diff changes nothing');
    });

    test('auth can-i', async () => {
      assert.equal((await k.ok(['auth', 'can-i', 'create', 'pods', ...ns])).trim(), 'yes');
      const list = await k.ok(['auth', 'can-i', '--list', ...ns]);
      assert.match(list, /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    });

    test('get --chunk-size=2 across 10 objects', async () => {
      await k.ok(['create', 'namespace', 'chunks']);
      for (let i = 0; i < 10; i++) await k.ok(['create', 'configmap', `cm-${i}`, '-n', 'chunks', `--from-literal=i=${i}`]);
      const r = await k(['get', 'configmaps', '-n', 'chunks', '--chunk-size=2', '-o', 'name', '-v=6']);
      assert.equal(r.code, 0, r.stderr);
      const names = r.stdout.trim().split('\n').filter((l) => l.startsWith('configmap/cm-'));
      assert.equal(names.length, 10, r.stdout);
      // 1.27 logs `GET https://…?limit=2`, 1.33 logs `verb="GET" url="https://…?limit=2"`.
      const pages = r.stderr.split('\n').filter((l) => /GET.*\/configmaps\?.*limit=2/.test(l) && /200 OK/.test(l));
      assert.ok(pages.length >= 5, `expected >= 5 paged requests, saw ${pages.length}:\n${r.stderr}`);
      assert.ok(pages.some((l) => l.includes('continue=')), 'later pages carry a continue token');
    });

    test('409 on a stale update', async () => {
      const cm = JSON.parse(await k.ok(['get', ...ns, 'cm', 'web-config', '-o', 'json']));
      await k.ok(['patch', ...ns, 'cm', 'web-config', '--type=merge', '-p', '{"data":{"color":"red"}}']);
      cm.data.color = 'stale';
      const r = await k(['replace', '-f', '-'], { input: JSON.stringify(cm) });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Operation cannot be fulfilled on configmaps "web-config": the object has been modified; please apply your changes to the latest version and try again/);
      assert.equal(await k.ok(['get', ...ns, 'cm', 'web-config', '-o', 'jsonpath={.data.color}']), 'red');
    });

    test('wait --for=delete and delete', async () => {
      const waiter = k(['wait', ...ns, '--for=delete', 'configmap/web-config', '--timeout=30s']);
      await new Promise((r) => setTimeout(r, 300));
      assert.match(await k.ok(['delete', ...ns, 'configmap', 'web-config']), /configmap "web-config" deleted/);
      const w = await waiter;
      assert.equal(w.code, 0, w.stderr);
      const gone = await k(['get', ...ns, 'configmap', 'web-config']);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /configmaps "web-config" not found/);
      assert.match(await k.ok(['delete', ...ns, 'deploy', 'web']), /deployment.apps "web" deleted/);
    });
  });
}
