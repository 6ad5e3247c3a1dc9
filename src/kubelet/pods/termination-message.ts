// Upstream getTerminationMessage / readLastStringFromContainerLogs: an exited container's message
// is what it wrote to the file mounted at its terminationMessagePath (the last 4096 bytes), or,
// with terminationMessagePolicy FallbackToLogsOnError, when that file is empty and the container
// failed, the end of its log (the last 80 lines, at most 2048 bytes). The config builder records
// the file's host path in an annotation of the container. Called by the pod worker on the state it
// builds a status from; reads files only, changes nothing, and leaves other containers alone.
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { ContainerStatus } from '../../runtime/index.js';
import { readLogs } from '../logs/index.js';
import { TERMINATION_MESSAGE_HOST_PATH_ANNOTATION, TERMINATION_MESSAGE_POLICY_ANNOTATION } from '../podspec/labels.js';
import type { PodRuntimeState } from './runtime-state.js';

export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
export const MAX_TERMINATION_MESSAGE_LOG_LINES = 80;
export const MAX_TERMINATION_MESSAGE_LOG_BYTES = 2048;

/** The last `max` bytes of a file; undefined when it does not exist. */
async function readTail(path: string, max: number): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, max);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The end of a container's CRI log as plain text, as upstream's circular buffer keeps it. */
async function logTail(path: string): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(Buffer.from(chunk)); cb(); } });
  try {
    await readLogs(path, { tailLines: MAX_TERMINATION_MESSAGE_LOG_LINES }, sink);
  } catch (e) {
    return `Error on reading termination message from logs: ${(e as Error).message}`;
  }
  const all = Buffer.concat(chunks);
  return all.subarray(Math.max(0, all.length - MAX_TERMINATION_MESSAGE_LOG_BYTES)).toString('utf8');
}

/** One exited container's message from its file or log; '' when there is none. */
export async function terminationMessage(c: ContainerStatus): Promise<string> {
  const a = c.annotations ?? {};
  const fallback = a[TERMINATION_MESSAGE_POLICY_ANNOTATION] === 'FallbackToLogsOnError' && (c.exitCode ?? 0) !== 0 && c.reason !== 'ContainerCannotRun';
  const file = a[TERMINATION_MESSAGE_HOST_PATH_ANNOTATION];
  let message = '';
  if (file) {
    try {
      message = await readTail(file, MAX_TERMINATION_MESSAGE_BYTES) ?? '';
    } catch (e) {
      return `Error on reading termination log ${file}: ${(e as Error).message}`;
    }
  }
  if (message === '' && fallback && c.logPath) message = await logTail(c.logPath);
  return message;
}

/** The state with each exited container's message appended to the runtime's (`runtime: message`, as upstream). */
export async function withTerminationMessages(state: PodRuntimeState): Promise<PodRuntimeState> {
  const containers = await Promise.all(state.containers.map(async (c) => {
    if (c.state !== 'exited') return c;
    const m = await terminationMessage(c);
    if (m === '') return c;
    return { ...c, message: c.message ? `${c.message}: ${m}` : m };
  }));
  return { ...state, containers };
}
