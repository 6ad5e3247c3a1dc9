// What the error stream (SPDY) or channel 3 (WebSocket) carries when a command ends. Protocols
// v4 and v5 send a metav1.Status as JSON, which kubectl turns into its exit code; older ones send
// only an error's text and nothing on success (upstream remotecommand v1/v4 write-status funcs).

export interface ExitStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

/**
 * The outcome of a session: an exit code, or an error that kept the command from running, worded
 * as upstream wraps it (`error executing command in container: …`, `error attaching to container: …`).
 */
export type SessionOutcome = { exitCode: number; cmd?: string[] } | { error: string };

export function exitStatusOf(outcome: SessionOutcome): ExitStatus {
  if ('error' in outcome) {
    // apierrors.NewInternalError of the kubelet's wrapped error.
    return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${outcome.error}`, reason: 'InternalError', details: { causes: [{ message: outcome.error }] }, code: 500 };
  }
  if (outcome.exitCode === 0) return { metadata: {}, status: 'Success' };
  const what = outcome.cmd ? `command '${outcome.cmd.join(' ')}' exited with ${outcome.exitCode}` : `exit status ${outcome.exitCode}`;
  return {
    metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: ${what}`, reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(outcome.exitCode) }] },
  };
}

/** The bytes for the error stream under `protocol`, or undefined when nothing is sent. */
export function encodeExitStatus(outcome: SessionOutcome, protocol: string): Buffer | undefined {
  const structured = protocol.startsWith('v4.') || protocol.startsWith('v5.');
  const status = exitStatusOf(outcome);
  if (structured) return Buffer.from(JSON.stringify(status));
  if (status.status === 'Success') return undefined;
  return Buffer.from(status.message ?? 'error');
}

/** Parses a stream of concatenated resize JSON objects (`{"Width":80,"Height":24}…`), as Go's json.Decoder does. */
export class ResizeDecoder {
  private text = '';

  push(chunk: Buffer | string): { width: number; height: number }[] {
    this.text += chunk.toString();
    const out: { width: number; height: number }[] = [];
    for (;;) {
      const start = this.text.indexOf('{');
      if (start < 0) {
        this.text = '';
        return out;
      }
      let depth = 0;
      let end = -1;
      let inString = false;
      for (let i = start; i < this.text.length; i++) {
        const c = this.text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        this.text = this.text.slice(start);
        return out;
      }
      try {
        const v = JSON.parse(this.text.slice(start, end + 1)) as { Width?: number; Height?: number };
        if (typeof v.Width === 'number' && typeof v.Height === 'number') out.push({ width: v.Width, height: v.Height });
      } catch {
        // Not a size: skip it, as the upstream resize loop stops only on a broken stream.
      }
      this.text = this.text.slice(end + 1);
    }
  }
}
