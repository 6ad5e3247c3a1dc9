// The parts of an image config (OCI image-spec config / Docker image JSON) the store keeps. Pure.
import { ImagePullError } from '../runtime.js';
import type { ImageRecord } from './store-index.js';

export type ConfigFields = Pick<ImageRecord, 'user' | 'entrypoint' | 'cmd' | 'env' | 'workingDir' | 'stopSignal'>;

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parses a config blob; returns its diffIDs (lowest layer first) and the runtime fields. */
export function parseImageConfig(body: Buffer, what: string): { diffIds: string[]; fields: ConfigFields; os?: string; architecture?: string } {
  let json: any;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ImagePullError(`${what}: image config is not JSON`, 'Invalid');
  }
  const diffIds = strings(json?.rootfs?.diff_ids);
  if (!diffIds || json?.rootfs?.type !== 'layers') throw new ImagePullError(`${what}: image config has no rootfs.diff_ids`, 'Invalid');
  const c = json.config ?? {};
  const fields: ConfigFields = {};
  if (str(c.User)) fields.user = c.User;
  if (strings(c.Entrypoint)) fields.entrypoint = c.Entrypoint;
  if (strings(c.Cmd)) fields.cmd = c.Cmd;
  if (strings(c.Env)) fields.env = c.Env;
  if (str(c.WorkingDir)) fields.workingDir = c.WorkingDir;
  if (str(c.StopSignal)) fields.stopSignal = c.StopSignal;
  return { diffIds, fields, os: str(json.os), architecture: str(json.architecture) };
}
