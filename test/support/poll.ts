// Waiting for a cluster to converge in integration tests: read until the value is acceptable or a
// deadline passes. A failed read counts as "not yet" (the object may not exist yet), and the
// timeout error shows the last value or error seen.

/** Generous by default: the whole team shares a loaded 2-core machine. */
export const POLL_DEADLINE_MS = 60_000;

export async function poll<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = POLL_DEADLINE_MS, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: { value: T } | { error: unknown };
    try {
      const value = await read();
      if (ok(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen = 'value' in last ? JSON.stringify(last.value)?.slice(0, 2000) : (last.error as Error)?.message ?? String(last.error);
      throw new Error(`timed out waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
