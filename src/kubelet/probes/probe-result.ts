// The outcome of one probe or hook action, as upstream's probe.Result: success, warning (counts as
// success, e.g. a redirect the prober did not follow), failure; output is what events show.
export type ProbeOutcome = 'success' | 'warning' | 'failure';

export interface ProbeResult {
  result: ProbeOutcome;
  output: string;
}

/** Upstream's limit on how much of a response body or command output a probe keeps (10 KiB). */
export const MAX_PROBE_OUTPUT = 10 * 1024;

export function truncate(s: string): string {
  return s.length <= MAX_PROBE_OUTPUT ? s : s.slice(0, MAX_PROBE_OUTPUT);
}

/** Go's time.Duration.String for whole seconds or milliseconds, as probe messages print timeouts. */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
