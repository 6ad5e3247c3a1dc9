// Reads a kubeconfig (the file kubectl uses) into an HTTPS transport configuration: the current
// context's cluster (server, CA) and user (client certificate + key, or token).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import { httpsTransport, type HttpsConfig } from './https-transport.js';
import type { Transport } from './transport.js';

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }

/**
 * Parses kubeconfig text. Relative file references (`certificate-authority`, `client-certificate`,
 * `client-key`, `tokenFile`) resolve against `baseDir`. `context` overrides `current-context`.
 */
export function parseKubeconfig(text: string, baseDir = '.', context?: string): HttpsConfig {
  const kc = (YAML.parse(text) ?? {}) as Record<string, unknown>;
  const list = <T>(k: string) => (Array.isArray(kc[k]) ? (kc[k] as Named<T>[]) : []);
  const contextName = context ?? (kc['current-context'] as string | undefined);
  const contexts = list<{ cluster?: string; user?: string }>('contexts');
  const ctx = contextName ? contexts.find((c) => c.name === contextName)?.context : contexts[0]?.context;
  if (!ctx) throw new Error(`kubeconfig: context ${JSON.stringify(contextName ?? '')} not found`);
  const cluster = list<Record<string, unknown>>('clusters').find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`kubeconfig: cluster ${JSON.stringify(ctx.cluster ?? '')} not found`);
  const user = list<Record<string, unknown>>('users').find((u) => u.name === ctx.user)?.user ?? {};
  const file = (p: unknown) => readFileSync(isAbsolute(String(p)) ? String(p) : resolve(baseDir, String(p)));
  const dataOrFile = (src: Record<string, unknown>, data: string, path: string): Buffer | undefined => {
    if (typeof src[data] === 'string') return Buffer.from(src[data] as string, 'base64');
    if (typeof src[path] === 'string') return file(src[path]);
    return undefined;
  };
  if (typeof cluster.server !== 'string') throw new Error('kubeconfig: cluster has no server');
  const config: HttpsConfig = {
    server: cluster.server,
    ca: dataOrFile(cluster, 'certificate-authority-data', 'certificate-authority'),
    cert: dataOrFile(user, 'client-certificate-data', 'client-certificate'),
    key: dataOrFile(user, 'client-key-data', 'client-key'),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
  if (typeof user.token === 'string') config.token = user.token;
  else if (typeof user.tokenFile === 'string') config.token = file(user.tokenFile).toString('utf8').trim();
  return config;
}

export function kubeconfigFromFile(path: string, context?: string): HttpsConfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), dirname(path), context);
}

export function transportFromKubeconfig(path: string, overrides: Partial<HttpsConfig> = {}): Transport {
  return httpsTransport({ ...kubeconfigFromFile(path), ...overrides });
}
