// Admin kubeconfig, in the shape k3s writes to /etc/rancher/k3s/k3s.yaml: one cluster, one user
// and one context, all named `default`, credentials embedded as base64 `*-data` fields.
import { stringify } from 'yaml';
import { writeFileAtomic } from './files.js';

export interface KubeconfigOptions {
  /** API server URL: `https://127.0.0.1:6443`. */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Name of the cluster, user and context; default `default`. */
  name?: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/** The kubeconfig YAML text (kind: Config, apiVersion: v1). */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'default';
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(opts.caPem), server: opts.server }, name }],
    contexts: [{ context: { cluster: name, user: name }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name, user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) } }],
  }, { lineWidth: 0 });
}

/**
 * Writes a kubeconfig atomically (temporary file + rename), creating parent directories.
 * Mode defaults to 0600: the file holds a private key (k3s: --write-kubeconfig-mode).
 */
export async function writeKubeconfig(path: string, text: string, mode = 0o600): Promise<void> {
  await writeFileAtomic(path, text, mode);
}
