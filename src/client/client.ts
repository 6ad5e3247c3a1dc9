// The API client every role uses to talk to the API server: raw JSON requests plus one
// ResourceClient per resource. Errors come back as StatusError (non-2xx) or plain Error
// (transport failures).
import type { ResourceType } from '../api/index.js';
import { ResourceClient, type ResourceRef } from './resource-client.js';
import { responseError } from './response-error.js';
import type { Transport } from './transport.js';

export class Client {
  constructor(readonly transport: Transport) {}

  /** A client for one resource. Accepts a catalogue `ResourceType` or a bare reference. */
  resource(ref: ResourceRef | ResourceType): ResourceClient {
    return new ResourceClient(this, { group: ref.group, version: ref.version, plural: ref.plural, namespaced: ref.namespaced, kind: ref.kind });
  }

  /**
   * Sends `body` (JSON-encoded unless already a string) and returns the parsed JSON answer.
   * Throws StatusError for non-2xx answers.
   */
  async requestJSON<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const res = await this.transport.request({ method, path, headers, body: payload });
    if (res.status < 200 || res.status > 299) throw responseError(res.status, res.body, method, path);
    return (res.body ? JSON.parse(res.body) : undefined) as T;
  }

  /** Streams a watch; see `Transport.watch`. Throws StatusError for non-2xx answers. */
  async stream(path: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const res = await this.transport.watch({ method: 'GET', path }, onLine, signal);
    if (!signal.aborted && (res.status < 200 || res.status > 299)) throw responseError(res.status, res.body, 'GET', path);
  }

  close(): void {
    this.transport.close?.();
  }
}
