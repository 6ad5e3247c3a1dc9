// Shared test helpers for the client suites: polling, and a transport whose target can be
// switched or cut (to simulate a server restart on a new port, or a partition).
import type { Transport } from '../../src/client/index.js';

/** Polls `cond` until it holds; fails with `what` after `timeoutMs` (generous for loaded machines). */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Delegates to `target`; while `cut` is set every request fails like a refused connection and
 * open watches are ended with an error.
 */
export class SwitchableTransport implements Transport {
  cut = false;
  private watches = new Set<AbortController>();
  constructor(public target: Transport) {}

  /** Cuts the link: open watches fail, new requests are refused. */
  disconnect(): void {
    this.cut = true;
    for (const w of this.watches) w.abort();
  }

  connect(target?: Transport): void {
    if (target) this.target = target;
    this.cut = false;
  }

  request(req: Parameters<Transport['request']>[0]) {
    if (this.cut) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    return this.target.request(req);
  }

  async watch(req: Parameters<Transport['watch']>[0], onLine: (l: string) => void, signal: AbortSignal) {
    if (this.cut) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.watches.add(inner);
    try {
      const res = await this.target.watch(req, onLine, inner.signal);
      if (inner.signal.aborted && !signal.aborted) throw new Error('connection reset');
      return res;
    } finally {
      this.watches.delete(inner);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

export const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data });
