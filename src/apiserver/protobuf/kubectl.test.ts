// Real kubectl protobuf bodies: each `kubectl create …` is run twice, once against the recorder
// (which captures the protobuf body client-go sends) and once with `--dry-run=client -o json`
// (the JSON upstream's encoding/json makes of the same Go object). The decoded body must equal
// that JSON, except `creationTimestamp: null`, which the decoder leaves out (same meaning).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RESOURCES, EvictionSchema, BindingSchema, type TSchema } from '../../api/index.js';
import { createCertificateAuthority } from '../pki/certs.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './index.js';
import { startRecorder, type Recorder, type RecordedRequest } from './kubectl-recorder.js';

const run = promisify(execFile);
const KUBECTLS = ['1.33', '1.32'].map((v) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`).filter((p) => existsSync(p));

/** The schema of the kind a recorded POST creates, found from its path. */
function schemaFor(req: RecordedRequest): TSchema {
  const parts = req.path.split('?')[0].split('/').filter(Boolean);
  if (parts[parts.length - 1] === 'eviction') return EvictionSchema;
  if (parts[parts.length - 1] === 'binding') return BindingSchema;
  const group = parts[0] === 'api' ? '' : parts[1];
  const plural = parts[parts.length - 1];
  const rt = RESOURCES.find((r) => r.group === group && r.plural === plural);
  assert.ok(rt, `no resource for ${req.path}`);
  return rt.schema;
}

/** Upstream JSON minus what the decoder leaves out on purpose: zero Times (null). */
function withoutNullTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNullTimes);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!(x === null && k.endsWith('Timestamp'))) out[k] = withoutNullTimes(x);
    return out;
  }
  return v;
}

describe('protobuf bodies sent by kubectl', { skip: KUBECTLS.length === 0 && 'no kubectl binary' }, () => {
  let recorder: Recorder;
  let dir: string;
  const create: string[][] = [];

  before(async () => {
    // What `kubectl drain node-1` reads: the node (also answers the cordon PATCH) and its pods.
    recorder = await startRecorder({
      '/api/v1/nodes/node-1': { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} },
      '/api/v1/pods': {
        apiVersion: 'v1', kind: 'PodList', metadata: {},
        items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'prod', uid: 'u1' }, spec: { nodeName: 'node-1' } }],
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'capstan-protobuf-'));
    const ca = await createCertificateAuthority('protobuf-test', 1, new Date());
    writeFileSync(join(dir, 'tls.crt'), ca.certPem);
    writeFileSync(join(dir, 'tls.key'), ca.keyPem);
    create.push(
      ['namespace', 'team-a'],
      ['configmap', 'settings', '--from-literal=mode=fast', '--from-literal=empty='],
      ['secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=password=s3cr3t', '--type=Opaque'],
      ['secret', 'tls', 'web-tls', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`],
      ['secret', 'docker-registry', 'pull', '--docker-username=u', '--docker-password=p', '--docker-server=registry.example:5000'],
      ['deployment', 'web', '--image=nginx:1.27', '--image=busybox', '--replicas=3', '--port=8080'],
      ['deployment', 'sleeper', '--image=busybox', '--', 'sleep', '3600'],
      ['deployment', 'idle', '--image=nginx', '--replicas=0'],
      ['service', 'clusterip', 'api', '--tcp=80:8080', '--tcp=443:8443'],
      ['service', 'clusterip', 'headless', '--clusterip=None'],
      ['service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'],
      ['service', 'loadbalancer', 'lb', '--tcp=443:https'],
      ['service', 'externalname', 'ext', '--external-name=db.example.com', '--tcp=5432'],
      ['serviceaccount', 'robot'],
      ['job', 'once', '--image=busybox', '--', 'echo', 'hello'],
      ['cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'],
      ['quota', 'limits', '--hard=cpu=2,memory=1Gi,pods=10,requests.storage=0', '--scopes=NotBestEffort'],
      ['priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'],
      ['priorityclass', 'zero', '--value=0', '--global-default=true'],
      ['poddisruptionbudget', 'pdb-int', '--selector=app=web', '--min-available=0'],
      ['poddisruptionbudget', 'pdb-pct', '--selector=app=web', '--max-unavailable=50%'],
      ['ingress', 'site', '--class=nginx', '--rule=foo.example/bar*=api:80,tls=web-tls', '--rule=/=api:http', '--default-backend=api:8080',
        '--annotation=team=a'],
    );
  });

  after(async () => {
    await recorder?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir });
  const kubectl = (bin: string, args: string[]) =>
    run(bin, ['--server', recorder.url, '--cache-dir', join(dir, 'cache'), ...args], { env: env(), timeout: 30_000 });

  /** Runs one kubectl command against the recorder and returns the one protobuf POST it made. */
  async function record(bin: string, args: string[]): Promise<RecordedRequest> {
    const before = recorder.requests.length;
    await kubectl(bin, args);
    const posts = recorder.requests.slice(before);
    assert.equal(posts.length, 1, `${args.join(' ')}: expected one POST, got ${posts.length}`);
    assert.equal(posts[0].contentType, PROTOBUF_CONTENT_TYPE);
    return posts[0];
  }

  /** Posts whose body is protobuf are decoded; JSON ones parsed: both must give the same object. */
  const bodyOf = (req: RecordedRequest): unknown =>
    req.contentType === PROTOBUF_CONTENT_TYPE ? decodeProtobufObject(req.body, schemaFor(req)) : withoutNullTimes(JSON.parse(req.body.toString()));

  for (const bin of KUBECTLS) {
    const version = bin.slice(bin.lastIndexOf('.', bin.length - 4) + 1);
    it(`kubectl ${version} create …: decoded body equals kubectl's own JSON for the object`, async () => {
      // Sequential: the recorder attributes POSTs by order.
      for (const args of create) {
        const req = await record(bin, ['create', ...args]);
        const { stdout } = await kubectl(bin, ['create', '--dry-run=client', '-o', 'json', ...args]);
        const decoded = decodeProtobufObject(req.body, schemaFor(req));
        assert.deepEqual(decoded, withoutNullTimes(JSON.parse(stdout)), `kubectl create ${args.join(' ')}`);
      }
    });

    it(`kubectl ${version} drain: the Eviction body (kubectl sends it as JSON today)`, async () => {
      const start = recorder.requests.length;
      await kubectl(bin, ['drain', 'node-1', '--force', '--grace-period=0', '--timeout=20s']);
      const evictions = recorder.requests.slice(start).filter((r) => r.path.endsWith('/eviction'));
      assert.equal(evictions.length, 1);
      assert.equal(evictions[0].path, '/api/v1/namespaces/prod/pods/web-0/eviction');
      assert.deepEqual(bodyOf(evictions[0]), {
        apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-0', namespace: 'prod' }, deleteOptions: { gracePeriodSeconds: 0 },
      });
    });

    it(`kubectl ${version} auth can-i: SelfSubjectAccessReview and SelfSubjectRulesReview`, async () => {
      const resource = await record(bin, ['auth', 'can-i', 'create', 'deployments.apps', '--subresource=scale', '-n', 'team-a']);
      assert.deepEqual(decodeProtobufObject(resource.body, schemaFor(resource)), {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
        spec: { resourceAttributes: { namespace: 'team-a', verb: 'create', group: 'apps', resource: 'deployments', subresource: 'scale' } },
        status: { allowed: false },
      });
      const nonResource = await record(bin, ['auth', 'can-i', 'get', '/logs']);
      assert.deepEqual(decodeProtobufObject(nonResource.body, schemaFor(nonResource)), {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
        spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
        status: { allowed: false },
      });
      const rules = await record(bin, ['auth', 'can-i', '--list', '-n', 'team-a']);
      assert.deepEqual(decodeProtobufObject(rules.body, schemaFor(rules)), {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {},
        spec: { namespace: 'team-a' }, status: { incomplete: false },
      });
    });
  }
});
