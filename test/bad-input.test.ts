// Acceptance: a few hundred mutated request bodies and paths. Every answer is a proper Status
// (or a success), none is a 500, the server keeps serving, and stored objects are intact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './support/server.js';
import { ApiClient, credentialsFrom, type HttpResult } from './support/http.js';

let server: TestServer;
let client: ApiClient;

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deployment = (name: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1', memory: '1Gi' } } }] } },
  },
});
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1', b: '2' } });
const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], type: 'NodePort' } });

const WEIRD: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31) - 1, '', 'x', '\u0000', '💥'.repeat(10), 'a'.repeat(300), [], [1, 'a', null], {}, { '': 1 }, { $patch: 'delete' }];

function mutate(value: unknown, r: () => number, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 6) return r() < 0.3 ? WEIRD[Math.floor(r() * WEIRD.length)] : value;
  if (Array.isArray(value)) {
    if (r() < 0.15) return WEIRD[Math.floor(r() * WEIRD.length)];
    return value.map((v) => (r() < 0.4 ? mutate(v, r, depth + 1) : v));
  }
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(out);
  const k = keys[Math.floor(r() * keys.length)];
  if (k === undefined) return out;
  const choice = r();
  if (choice < 0.2) delete out[k];
  else if (choice < 0.45) out[k] = WEIRD[Math.floor(r() * WEIRD.length)];
  else if (choice < 0.55) out[`unknown${Math.floor(r() * 5)}`] = WEIRD[Math.floor(r() * WEIRD.length)];
  else out[k] = mutate(out[k], r, depth + 1);
  return out;
}

function assertProperAnswer(res: HttpResult, what: string): void {
  // 5xx only where upstream answers so for client input: 504 "Too large resource version".
  const tolerated5xx = res.status === 504 && res.body.includes('"reason":"Timeout"');
  assert.ok(res.status >= 200 && (res.status < 500 || tolerated5xx), `${what}: status ${res.status} ${res.body.slice(0, 300)}`);
  if (res.status >= 400) {
    let body: any;
    assert.doesNotThrow(() => (body = JSON.parse(res.body)), `${what}: error body is JSON: ${res.body.slice(0, 200)}`);
    assert.equal(body.kind, 'Status', `${what}: ${res.body.slice(0, 200)}`);
    assert.equal(body.apiVersion, 'v1');
    assert.equal(body.status, 'Failure');
    assert.equal(body.code, res.status, what);
    assert.ok(typeof body.reason === 'string' && body.reason.length > 0, `${what}: reason set: ${res.body.slice(0, 200)}`);
    assert.ok(typeof body.message === 'string' && body.message.length > 0, `${what}: message set`);
  }
}

before(async () => {
  server = await startTestServer();
  client = new ApiClient(credentialsFrom(server.kubeconfig));
  for (const ns of ['fuzz', 'sentinel']) {
    assert.equal((await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
  }
});
after(async () => {
  client?.close();
  await server?.stop();
});

test('hundreds of mutated requests get proper answers and corrupt nothing', { timeout: 120_000 }, async () => {
  const sentinels = [
    ['/apis/apps/v1/namespaces/sentinel/deployments', deployment('keep')],
    ['/api/v1/namespaces/sentinel/configmaps', configMap('keep')],
    ['/api/v1/namespaces/sentinel/services', service('keep')],
  ] as const;
  const before: string[] = [];
  for (const [path, body] of sentinels) {
    const r = await client.request('POST', path, body);
    assert.equal(r.status, 201, r.body);
    before.push(JSON.stringify(r.json()));
  }
  const r = rng(20261122);
  const targets = [
    { path: '/apis/apps/v1/namespaces/fuzz/deployments', make: deployment },
    { path: '/api/v1/namespaces/fuzz/configmaps', make: configMap },
    { path: '/api/v1/namespaces/fuzz/services', make: service },
  ];
  let requests = 0;
  for (let i = 0; i < 240; i++) {
    const t = targets[i % targets.length]!;
    const name = `v${i % 7}`;
    const body = mutate(mutate(t.make(name), r), r);
    const kind = r();
    let res: HttpResult;
    let what: string;
    if (kind < 0.35) {
      what = `POST ${t.path} ${JSON.stringify(body).slice(0, 200)}`;
      res = await client.request('POST', t.path, body);
    } else if (kind < 0.55) {
      what = `PUT ${t.path}/${name} ${JSON.stringify(body).slice(0, 200)}`;
      res = await client.request('PUT', `${t.path}/${name}`, body);
    } else if (kind < 0.7) {
      what = `PATCH(merge) ${t.path}/${name}`;
      res = await client.request('PATCH', `${t.path}/${name}`, body, { 'content-type': 'application/merge-patch+json' });
    } else if (kind < 0.85) {
      what = `PATCH(strategic) ${t.path}/${name}`;
      res = await client.request('PATCH', `${t.path}/${name}`, body, { 'content-type': 'application/strategic-merge-patch+json' });
    } else {
      const ops = [{ op: WEIRD[Math.floor(r() * 4)] ?? 'add', path: ['/spec', '/metadata/name', '/x/y/z', '', '/data/-', 7][Math.floor(r() * 6)], value: mutate({ a: 1 }, r) }, 'junk'];
      what = `PATCH(json) ${t.path}/${name} ${JSON.stringify(ops)}`;
      res = await client.request('PATCH', `${t.path}/${name}`, r() < 0.5 ? ops : ops.slice(0, 1), { 'content-type': 'application/json-patch+json' });
    }
    assertProperAnswer(res, what);
    requests++;
  }

  const raw: [string, string, string | Buffer | undefined, Record<string, string>?][] = [
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"trunc'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', ''],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', 'not json at all'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '[1,2,3]'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '"just a string"'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n', { 'content-type': 'application/yaml' }],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', 'a: [unclosed', { 'content-type': 'application/yaml' }],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', 'x', { 'content-type': 'text/plain' }],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"a"}}'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"other"}}'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"UPPER"}}'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"5"}}'],
    ['POST', '/api/v1/namespaces/missing/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '['.repeat(100_000)],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"x":"${'a'.repeat(3 * 1024 * 1024)}"}}`],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?limit=abc', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?resourceVersion=xyz', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?resourceVersion=1&resourceVersionMatch=Bogus', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?continue=garbage', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?labelSelector=a%20in%20(', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?labelSelector=!!!', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?fieldSelector=spec.bogus=1', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?watch=true&timeoutSeconds=abc', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?watch=true&resourceVersion=99999999&timeoutSeconds=1', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps', undefined, { accept: 'application/vnd.kubernetes.protobuf' }],
    ['GET', '/api/v1/namespaces/fuzz/nonexistent', undefined],
    ['GET', '/api/v2/pods', undefined],
    ['GET', '/apis/nope.example.com/v1/things', undefined],
    ['GET', '/api/v1/namespaces/fuzz/configmaps/a/b/c/d', undefined],
    ['GET', '/api/v1/namespaces/%zz/configmaps', undefined],
    ['GET', '/api/v1/namespaces/../../etc/passwd', undefined],
    ['GET', '/api/v1/nodes/x/status/extra', undefined],
    ['DELETE', '/api/v1/namespaces/fuzz/configmaps/none', '{"propagationPolicy":"Sideways"}'],
    ['DELETE', '/api/v1/namespaces/fuzz/configmaps/none', '{"gracePeriodSeconds":"soon"}'],
    ['PUT', '/api/v1/namespaces/fuzz/configmaps/x', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"y"}}'],
    ['PATCH', '/api/v1/namespaces/fuzz/configmaps/x', '{}', { 'content-type': 'application/apply-patch+yaml' }],
    ['PATCH', '/api/v1/namespaces/fuzz/configmaps/x', '{}', { 'content-type': 'text/html' }],
    ['BREW', '/api/v1/namespaces', undefined],
    ['POST', '/api/v1/namespaces/fuzz/pods/x/binding', '{"kind":"Binding"}'],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{}}'],
  ];
  for (const [method, path, body, headers] of raw) {
    const res = await client.request(method, path, body, headers);
    assertProperAnswer(res, `${method} ${path.slice(0, 120)}`);
    requests++;
  }
  assert.ok(requests >= 250);

  const ready = await client.request('GET', '/readyz');
  assert.equal(ready.status, 200);
  for (let i = 0; i < sentinels.length; i++) {
    const [path, body] = sentinels[i]!;
    const now = await client.request('GET', `${path}/${(body as { metadata: { name: string } }).metadata.name}`);
    assert.equal(now.status, 200);
    assert.equal(JSON.stringify(now.json()), before[i], 'sentinel objects are untouched');
  }
  // Whatever the fuzzing stored is well-formed: every list decodes and every item is an object of its kind.
  for (const t of targets) {
    const list = await client.request('GET', t.path);
    assert.equal(list.status, 200);
    for (const item of list.json().items) assert.equal(typeof item.metadata.name, 'string');
  }
});

test('upstream status codes and reasons for typical bad requests', async () => {
  const cases: [string, string, string | undefined, Record<string, string>, number, string][] = [
    ['POST', '/api/v1/namespaces/fuzz/configmaps', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"x":"${'a'.repeat(3 * 1024 * 1024)}"}}`, {}, 413, 'RequestEntityTooLarge'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":', {}, 400, 'BadRequest'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', 'a: [unclosed', { 'content-type': 'application/yaml' }, 400, 'BadRequest'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"a"}}', {}, 400, 'BadRequest'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"Widget","metadata":{"name":"a"}}', {}, 400, 'BadRequest'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"other"}}', {}, 400, 'BadRequest'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}', {}, 422, 'Invalid'],
    ['POST', '/api/v1/namespaces/fuzz/configmaps', 'x', { 'content-type': 'text/plain' }, 415, 'UnsupportedMediaType'],
    ['GET', '/apis/example.com/v1/widgets', undefined, {}, 404, 'NotFound'],
    ['GET', '/api/v1/namespaces/fuzz/configmaps/missing', undefined, {}, 404, 'NotFound'],
    ['POST', '/api/v1/namespaces/absent/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}', {}, 404, 'NotFound'],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?labelSelector=a%20in%20(', undefined, {}, 400, 'BadRequest'],
    ['GET', '/api/v1/namespaces/fuzz/configmaps?fieldSelector=spec.bogus%3D1', undefined, {}, 400, 'BadRequest'],
  ];
  for (const [method, path, body, headers, code, reason] of cases) {
    const res = await client.request(method, path, body, headers);
    assert.equal(res.status, code, `${method} ${path.slice(0, 80)}: ${res.body.slice(0, 200)}`);
    assert.equal(res.json().reason, reason, `${method} ${path.slice(0, 80)}`);
  }
  const strict = await client.request('POST', '/api/v1/namespaces/fuzz/configmaps?fieldValidation=Strict', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, bogus: 1 });
  assert.equal(strict.status, 400);
  assert.match(strict.json().message, /strict decoding error: unknown field "bogus"/);
  const warn = await client.request('POST', '/api/v1/namespaces/fuzz/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned' }, bogus: 1 });
  assert.equal(warn.status, 201);
  assert.match(String(warn.headers['warning']), /299 - "unknown field \\"bogus\\""/);
});

test('unauthenticated requests get 401', async () => {
  const anon = new ApiClient(credentialsFrom(server.kubeconfig), { anonymous: true });
  try {
    const r = await anon.request('GET', '/api/v1/namespaces');
    assert.equal(r.status, 401);
    assert.equal(r.json().reason, 'Unauthorized');
    assert.equal((await anon.request('GET', '/readyz')).status, 200, 'readiness is public');
  } finally {
    anon.close();
  }
});
