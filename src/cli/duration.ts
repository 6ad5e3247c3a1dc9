// Duration flags (`--sync-frequency`, `--node-monitor-period`, …), shared by the commands without
// making one command's module load another's.

/** Go duration syntax (`40s`, `1m30s`, `500ms`, `1.5s`) in milliseconds; throws a readable error. */
export function parseDurationMs(text: string, flag: string): number {
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]];
    consumed += m[0].length;
  }
  if (!text || consumed !== text.length || total <= 0) throw new Error(`invalid ${flag} "${text}": use a duration such as 40s or 1m`);
  return total;
}
