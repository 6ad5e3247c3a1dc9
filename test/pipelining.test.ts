// A client pipelining writes whose answers are whole objects: Node's HTTP server pauses such a
// connection's parser once 16 KiB of answers queue up and then fails it (HPE_PAUSED). Every
// request must then get its own answer or a lost connection, never another request's answer
// (the server used to answer the failure with a 400, which the client took for the next request's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { httpsTransport, kubeconfigFromFile } from '../src/client/index.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
before(async () => { server = await startTestServer({ memory: true }); });
after(async () => { await server.stop(); });

test('pipelined creates with large answers: each gets its own object or a transport error, none a 400', async () => {
  const transport = httpsTransport({ ...kubeconfigFromFile(server.kubeconfig), maxSockets: 1, pipelining: 32 });
  const answers: { name: string; status?: number; body?: string; error?: string }[] = [];
  try {
    await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const name = `big-${i}`;
      try {
        const r = await transport.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: JSON.stringify({ metadata: { name }, data: { k: 'x'.repeat(8000) } }) });
        answers.push({ name, status: r.status, body: r.body });
      } catch (e) {
        answers.push({ name, error: (e as Error).message });
      }
    }));
  } finally {
    transport.close?.();
  }
  for (const a of answers) {
    if (a.error !== undefined) continue;
    // 409: a create repeated on a new connection after the first was stored but not answered.
    assert.ok(a.status === 201 || a.status === 409, `${a.name}: status ${a.status} ${a.body?.slice(0, 200)}`);
    if (a.status === 201) assert.equal(JSON.parse(a.body!).metadata.name, a.name, 'the answer is this request\'s object');
  }
  assert.ok(answers.some((a) => a.status === 201), 'some creates went through');
});
