// Entry of the commit worker thread started by WorkerCommitter (worker-committer.ts). It owns the
// store's writing connection and runs one PlanWriter transaction per request, so the fsync of a
// group commit happens off the API server's event loop. Requests arrive one at a time (the store
// keeps strictly one commit in flight); each gets exactly one reply, sent only after its
// transaction committed (and the WAL was fsynced) or was rolled back.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './schema.js';
import { PlanWriter } from './commit.js';
import type { CommitReply, CommitRequest, CommitWorkerData } from './worker-committer.js';

const port = parentPort;
if (!port) throw new Error('commit-worker must run in a worker thread');
const { path } = workerData as CommitWorkerData;
// A failure here surfaces as the worker's 'error' event: every write then fails with it.
const db = openDatabase(path);
const writer = new PlanWriter(db);

port.on('message', (req: CommitRequest) => {
  if (req.type === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: CommitReply;
  try {
    writer.commit(req.plan, req.before);
    reply = { ok: true };
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown };
    reply = { error: { message: String(e?.message ?? err), code: typeof e?.code === 'string' ? e.code : undefined } };
  }
  port.postMessage(reply);
});
