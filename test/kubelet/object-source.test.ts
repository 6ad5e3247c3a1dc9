// ClientObjectSource against a real in-process API server: reads as the kubelet makes them, with
// not-found as `undefined`, and the env of a container built from live objects.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Informer, loopbackTransport } from '../../src/client/index.js';
import { configMaps, secrets, services, namespaces, persistentVolumes } from '../../src/api/index.js';
import type { Pod } from '../../src/api/index.js';
import { ClientObjectSource, makeEnvironmentVariables } from '../../src/kubelet/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { poll } from '../support/poll.js';

describe('ClientObjectSource', () => {
  let server: TestServer;
  let client: Client;
  const abort = new AbortController();

  before(async () => {
    server = await startTestServer({ memory: true });
    client = new Client(loopbackTransport(server.api.loopback.bind(server.api)));
    await client.resource(namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await client.resource(configMaps).create('shop', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { MODE: 'prod' } } as never);
    await client.resource(secrets).create('shop', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { PASSWORD: 's3cret' } } as never);
    await client.resource(services).create('shop', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cache' }, spec: { ports: [{ port: 6379 }] } } as never);
    await client.resource(persistentVolumes).create('', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } } } as never);
  });

  after(async () => {
    abort.abort();
    await server.stop();
  });

  test('gets objects, undefined when missing', async () => {
    const src = new ClientObjectSource(client);
    assert.equal((await src.getConfigMap('shop', 'cfg'))?.data?.MODE, 'prod');
    assert.equal(await src.getConfigMap('shop', 'nope'), undefined);
    assert.equal(Buffer.from((await src.getSecret('shop', 'creds'))!.data!.PASSWORD!, 'base64').toString(), 's3cret');
    assert.equal(await src.getSecret('shop', 'nope'), undefined);
    assert.equal(await src.getPersistentVolumeClaim('shop', 'nope'), undefined);
    assert.equal((await src.getPersistentVolume('pv1'))?.spec?.hostPath?.path, '/tmp/pv1');
    assert.deepEqual((await src.listServices('shop')).map((s) => s.metadata?.name), ['cache']);
  });

  test('env from live objects, Services from an informer', async () => {
    const informer = new Informer(client.resource(services));
    void informer.start(abort.signal);
    await informer.waitForSync(abort.signal);
    const src = new ClientObjectSource(client, { services: informer.store });
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u1' },
      spec: { containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'cfg' } }], env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } }] }] },
    } as Pod;
    const env = await poll('env with the cache Service', () => makeEnvironmentVariables(pod, pod.spec!.containers![0]!, {
      objects: src, podIPs: [],
      node: { nodeName: 'n', hostIPs: ['127.0.0.1'], allocatable: {}, memoryCapacityBytes: 1, clusterDNS: [], clusterDomain: 'cluster.local', logsDir: '/tmp' },
    }), (e) => e.some((v) => v.name === 'CACHE_SERVICE_HOST'));
    const m = new Map(env.map((e) => [e.name, e.value]));
    assert.equal(m.get('MODE'), 'prod');
    assert.equal(m.get('PW'), 's3cret');
    assert.equal(m.get('CACHE_SERVICE_PORT'), '6379');
    assert.match(m.get('CACHE_SERVICE_HOST') ?? '', /^10\.43\./);
  });
});
