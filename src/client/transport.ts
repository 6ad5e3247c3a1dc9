// The client's only port to the API server. Two implementations: HTTPS (remote roles, any
// Kubernetes-compatible server) and loopback (roles sharing the API server's process). Both carry
// serialised bodies, so objects are always copied across the boundary (design principle 7).

export interface TransportRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  path: string;
  /** Header names in lower case. */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Transport {
  /** One request, the whole body read. Rejects only for transport failures (refused, reset, …). */
  request(req: TransportRequest): Promise<TransportResponse>;
  /**
   * A streaming request (watch). For a 2xx answer calls `onLine` once per newline-terminated line,
   * in order, and resolves `{ status }` when the server ends the stream or `signal` aborts. For
   * any other answer resolves `{ status, body }` without calling `onLine`. Rejects only for
   * transport failures, including a connection lost mid-stream.
   */
  watch(req: TransportRequest, onLine: (line: string) => void, signal: AbortSignal): Promise<{ status: number; body?: string }>;
  /** Releases pooled connections. Optional. */
  close?(): void;
}

/**
 * Splits a chunked text stream into lines. `push` returns the complete lines seen so far;
 * a trailing partial line waits for the next chunk.
 */
export function lineSplitter(): { push(chunk: string): string[]; flush(): string[] } {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk;
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      return parts.filter((l) => l.trim() !== '');
    },
    flush() {
      const last = rest.trim();
      rest = '';
      return last ? [last] : [];
    },
  };
}
