// The documents as the real kubectl reads them: a minimal HTTP server (plain http on 127.0.0.1)
// serves legacy discovery plus /openapi/v2 (protobuf and JSON) and /openapi/v3 from the builders,
// and `kubectl explain` must print field descriptions from both the v3 (default) and v2
// (--output plaintext-openapiv2) documents. Skipped when no kubectl binary is installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { RESOURCES, ALL_VERBS, apiVersionOf, type ResourceType } from '../../api/index.js';
import { buildOpenApiV2 } from './v2.js';
import { buildOpenApiV3 } from './v3.js';
import { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF } from './protobuf-v2.js';

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
/** The oldest and newest supported clients: v3 explain changed between them. */
const KUBECTLS = ['kubectl.1.27', 'kubectl.1.33'].map((b) => join(KUBECTL_DIR, b)).filter((p) => existsSync(p));

const resources = RESOURCES as readonly ResourceType[];
const v2 = buildOpenApiV2(resources, { title: 'Kubernetes', version: 'v1.31.0' });
const v2Json = JSON.stringify(v2);
const v2Protobuf = encodeOpenApiV2Protobuf(v2);
const v3 = buildOpenApiV3(resources);

function resourceList(group: string, version: string) {
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
    resources: resources.filter((r) => r.group === group && r.version === version).map((r) => ({
      name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? ALL_VERBS, shortNames: r.shortNames,
    })),
  };
}

function groupList() {
  const groups = new Map<string, string[]>();
  for (const r of resources) if (r.group) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name, versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

let server: Server;
let url = '';
let cacheDir = '';

before(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'capstan-openapi-explain-'));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/$/, '');
    const json = (body: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (path === '/version') return json({ major: '1', minor: '31', gitVersion: 'v1.31.0' });
    if (path === '/api') return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: url.slice(7) }] });
    if (path === '/apis') return json(groupList());
    if (path === '/api/v1') return json(resourceList('', 'v1'));
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (gv) return json(resourceList(gv[1]!, gv[2]!));
    if (path === '/openapi/v2') {
      if ((req.headers.accept ?? '').includes('protobuf')) {
        res.writeHead(200, { 'content-type': OPENAPI_V2_PROTOBUF });
        return res.end(v2Protobuf);
      }
      return json(v2Json);
    }
    if (path === '/openapi/v3') return json(v3.index);
    const doc = path.startsWith('/openapi/v3/') ? v3.documents.get(path.slice('/openapi/v3/'.length)) : undefined;
    if (doc) return json(doc.json);
    json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server?.close();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

function kubectl(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, ['--server', url, '--cache-dir', join(cacheDir, 'cache'), ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: cacheDir, KUBECONFIG: join(cacheDir, 'none') }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const configMaps = resources.find((r) => r.group === '' && r.kind === 'ConfigMap')!;
const dataDescription = 'Data contains the configuration data';

for (const bin of KUBECTLS) {
  const version = bin.split('kubectl.')[1];
  test(`kubectl ${version} explain reads the v3 document`, async () => {
    const r = await kubectl(bin, ['explain', 'configmap.data']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+ConfigMap/);
    assert.ok(r.stdout.includes(dataDescription), r.stdout);
    const top = await kubectl(bin, ['explain', 'configmap.metadata.creationTimestamp']);
    assert.equal(top.code, 0, top.stderr);
    assert.ok(top.stdout.includes('CreationTimestamp is a timestamp'), top.stdout);
  });

  test(`kubectl ${version} explain --output plaintext-openapiv2 reads the protobuf v2 document`, async () => {
    const r = await kubectl(bin, ['explain', 'configmap.data', '--output', 'plaintext-openapiv2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+ConfigMap/);
    assert.ok(r.stdout.includes(dataDescription), r.stdout);
    assert.match(r.stdout, new RegExp(`VERSION:\\s+${apiVersionOf(configMaps)}`));
  });
}

/** Field descriptions from the place of use, followed by the shared type's own description. */
const FIELD_AND_TYPE: { path: string; field: string; type: string }[] = [
  { path: 'pod.spec', field: 'Specification of the desired behavior of the pod.', type: 'PodSpec is a description of a pod.' },
  { path: 'deployment.spec.strategy', field: 'The deployment strategy to use to replace existing pods with new ones.', type: 'DeploymentStrategy describes how to replace existing pods with new ones.' },
];

/** kubectl wraps descriptions: compare with whitespace collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

for (const bin of KUBECTLS) {
  const version = bin.split('kubectl.')[1];
  for (const output of ['v3', 'plaintext-openapiv2']) {
    test(`kubectl ${version} explain (${output}) shows the field's and the type's descriptions`, async () => {
      for (const { path, field, type } of FIELD_AND_TYPE) {
        const r = await kubectl(bin, ['explain', path, ...(output === 'v3' ? [] : ['--output', output])]);
        assert.equal(r.code, 0, r.stderr);
        const text = flat(r.stdout);
        assert.ok(text.includes(field), `${path}: ${r.stdout}`);
        assert.ok(text.includes(type), `${path}: ${r.stdout}`);
      }
    });
  }
}

test('every served kind can be explained recursively (newest kubectl, v3)', { skip: KUBECTLS.length === 0 }, async () => {
  const bin = KUBECTLS[KUBECTLS.length - 1]!;
  const kinds = resources.filter((r) => !r.createOnly);
  for (let i = 0; i < kinds.length; i += 4) {
    await Promise.all(kinds.slice(i, i + 4).map(async (r) => {
      const resource = r.group ? `${r.plural}.${r.group}` : r.plural;
      const out = await kubectl(bin, ['explain', r.plural, '--api-version', apiVersionOf(r), '--recursive']);
      assert.equal(out.code, 0, `${resource}: ${out.stderr}`);
      assert.match(out.stdout, new RegExp(`KIND:\\s+${r.kind}\\b`), resource);
      assert.match(out.stdout, /metadata\s+<ObjectMeta>/, resource);
    }));
  }
});

test('no kubectl binary: the explain checks are skipped', { skip: KUBECTLS.length > 0 }, () => {});
