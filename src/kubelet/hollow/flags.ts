// Parsers for `capstan sim`'s list flags, in kubelet's syntax (`--node-labels`,
// `--register-with-taints`). Pure; errors name the flag and the bad entry.
import type { Taint } from '../../api/index.js';
import { isQualifiedName, isValidLabelValue, TAINT_EFFECTS } from '../../api/light.js';

/** `k=v,k2=v2` → labels. Keys are qualified names, values label values. */
export function parseLabelsFlag(text: string | undefined, flag = '--labels'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of splitList(text)) {
    const i = entry.indexOf('=');
    if (i <= 0) throw new Error(`invalid ${flag} entry "${entry}": want key=value`);
    const key = entry.slice(0, i);
    const value = entry.slice(i + 1);
    const errs = [...isQualifiedName(key), ...isValidLabelValue(value)];
    if (errs.length) throw new Error(`invalid ${flag} entry "${entry}": ${errs.join('; ')}`);
    out[key] = value;
  }
  return out;
}

/** `key=value:Effect` or `key:Effect`, comma-separated → taints (upstream ParseTaints syntax). */
export function parseTaintsFlag(text: string | undefined, flag = '--taints'): Taint[] {
  const out: Taint[] = [];
  for (const entry of splitList(text)) {
    const colon = entry.lastIndexOf(':');
    if (colon <= 0) throw new Error(`invalid ${flag} entry "${entry}": want key=value:Effect`);
    const effect = entry.slice(colon + 1);
    if (!(TAINT_EFFECTS as readonly string[]).includes(effect)) {
      throw new Error(`invalid ${flag} entry "${entry}": effect must be one of ${TAINT_EFFECTS.join(', ')}`);
    }
    const kv = entry.slice(0, colon);
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    const value = eq < 0 ? undefined : kv.slice(eq + 1);
    const errs = [...isQualifiedName(key), ...(value ? isValidLabelValue(value) : [])];
    if (errs.length) throw new Error(`invalid ${flag} entry "${entry}": ${errs.join('; ')}`);
    out.push(value ? { key, value, effect } : { key, effect });
  }
  return out;
}

/** Go-style duration (`0s`, `500ms`, `2s`, `1m30s`) → milliseconds. */
export function parseDurationMs(text: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]!]!;
    consumed += m[0].length;
  }
  if (text === '0') return 0;
  if (!text || consumed !== text.length) throw new Error(`invalid ${flag} "${text}": use a duration such as 0s, 500ms or 2s`);
  return Math.round(total);
}

function splitList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
