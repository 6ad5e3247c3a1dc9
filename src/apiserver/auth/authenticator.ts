// Authentication: a chain of authenticators; the first that recognises the request names the
// user. A request nobody recognises is 401 (no anonymous access to the API).
import { timingSafeEqual } from 'node:crypto';
import type { ApiRequest, UserInfo } from '../http/types.js';

export interface Authenticator {
  name: string;
  /** The user, or undefined when this authenticator does not recognise the request. */
  authenticate(req: ApiRequest): UserInfo | undefined;
}

/** Users from TLS client certificates verified against the cluster CA: CN = user, O = groups. */
export const clientCertificateAuthenticator: Authenticator = {
  name: 'x509',
  authenticate(req) {
    if (!req.clientCert) return undefined;
    return { name: req.clientCert.commonName, groups: [...req.clientCert.organizations, 'system:authenticated'] };
  },
};

export interface StaticToken { token: string; user: UserInfo }

/** Bearer tokens from a fixed table (the server's admin and node-join tokens). */
export function tokenAuthenticator(tokens: StaticToken[]): Authenticator {
  const entries = tokens.map((t) => ({ buf: Buffer.from(t.token), user: t.user }));
  return {
    name: 'token',
    authenticate(req) {
      const h = req.headers['authorization'];
      if (!h || !/^bearer /i.test(h)) return undefined;
      const presented = Buffer.from(h.slice(7).trim());
      for (const e of entries) {
        if (e.buf.length === presented.length && timingSafeEqual(e.buf, presented)) {
          return { ...e.user, groups: [...e.user.groups, 'system:authenticated'] };
        }
      }
      return undefined;
    },
  };
}

export class AuthenticatorChain {
  constructor(private readonly chain: Authenticator[]) {}

  authenticate(req: ApiRequest): UserInfo | undefined {
    if (req.user) return req.user;
    for (const a of this.chain) {
      const u = a.authenticate(req);
      if (u) return u;
    }
    return undefined;
  }
}
