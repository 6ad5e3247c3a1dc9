// Transport-independent request/response shapes. The HTTPS listener and the in-process loopback
// transport both translate to these, so every request passes the same handlers (principle 7).
import type { Duplex } from 'node:stream';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

export interface ApiRequest {
  method: string;
  /** Path and query as received, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** The raw body (already size-limited by the transport), if any. */
  body?: Buffer;
  /** Set by authentication (or directly by a trusted in-process transport). */
  user?: UserInfo;
  /** The verified TLS client certificate's subject, when the transport verified one. */
  clientCert?: { commonName: string; organizations: string[] };
  /** Aborted when the client goes away; streaming handlers stop on it. */
  signal: AbortSignal;
}

/**
 * A streaming body: the handler calls `write` for each chunk until it returns; the transport
 * ends the response afterwards. `write` returns false when the client is gone.
 */
export type StreamBody = (write: (chunk: string) => boolean, signal: AbortSignal) => Promise<void>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
  stream?: StreamBody;
  /**
   * Takes over the connection of an HTTP upgrade (pods/exec, attach, portforward): the transport
   * hands over the raw socket and the bytes read past the request head, and writes nothing itself.
   */
  upgrade?: (socket: Duplex, head: Buffer) => void;
}

/** Upper bound of a request body, as upstream's 3 MiB limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
