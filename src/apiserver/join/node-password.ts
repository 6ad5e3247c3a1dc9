// Node passwords, as k3s's: each agent keeps a random password (`<data-dir>/agent/node-password`)
// and sends it with its CSRs. The first join of a node name stores the password's hash in the
// Secret `kube-system/<node>.node-password.capstan`; later joins under that name must present
// the same password. So a token holder cannot obtain credentials for a node that already joined
// from another host. Deleting the Secret releases the name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiRequest, ApiResponse } from '../http/types.js';

export const NODE_PASSWORD_NAMESPACE = 'kube-system';
export const nodePasswordSecretName = (nodeName: string) => `${nodeName}.node-password.capstan`;

type Loopback = (req: Omit<ApiRequest, 'signal' | 'user'>) => Promise<ApiResponse>;

const hashOf = (password: string) => createHash('sha256').update(password, 'utf8').digest('base64');

/**
 * Checks `password` for `nodeName` through the API (in-process, as the server itself): true when
 * it matches the stored hash or when none was stored yet (then it is stored now). Concurrent
 * first joins of one name race on the create; the loser is checked against the winner's hash.
 */
export function nodePasswordChecker(loopback: Loopback): (nodeName: string, password: string) => Promise<boolean> {
  const path = `/api/v1/namespaces/${NODE_PASSWORD_NAMESPACE}/secrets`;
  const compare = (stored: string | undefined, password: string) => {
    if (!stored) return false;
    const a = Buffer.from(Buffer.from(stored, 'base64').toString('utf8'));
    const b = Buffer.from(hashOf(password));
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const read = async (nodeName: string): Promise<{ found: boolean; hash?: string }> => {
    const r = await loopback({ method: 'GET', url: `${path}/${nodePasswordSecretName(nodeName)}`, headers: { accept: 'application/json' } });
    if (r.status === 404) return { found: false };
    if (r.status !== 200) throw new Error(`reading the node password secret: ${r.status}`);
    return { found: true, hash: (JSON.parse(String(r.body)) as { data?: { hash?: string } }).data?.hash };
  };
  return async (nodeName, password) => {
    const existing = await read(nodeName);
    if (existing.found) return compare(existing.hash, password);
    const secret = {
      apiVersion: 'v1', kind: 'Secret', type: 'capstan.io/node-password',
      metadata: { name: nodePasswordSecretName(nodeName), namespace: NODE_PASSWORD_NAMESPACE },
      data: { hash: Buffer.from(hashOf(password)).toString('base64') },
    };
    const r = await loopback({ method: 'POST', url: path, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: Buffer.from(JSON.stringify(secret)) });
    if (r.status === 201 || r.status === 200) return true;
    if (r.status === 409) return compare((await read(nodeName)).hash, password);
    throw new Error(`storing the node password secret: ${r.status} ${String(r.body)}`);
  };
}
