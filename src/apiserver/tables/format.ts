// Cell formatting shared by the printers: ages (upstream's duration.HumanDuration), label maps,
// label selectors, container lists and "a,b,c + N more..." lists.
import { labelSelectorFromObject, selectorToString } from '../../api/index.js';

/**
 * Upstream's duration.HumanDuration: a succinct duration with ~2-3 significant figures
 * (`5s`, `119s`, `3m10s`, `70m`, `3h1m`, `47h`, `2d1h`, `8d`, `2y1d`, `8y`); up to 2s in the
 * future counts as now, more is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Upstream's translateTimestampSince: `<unknown>` for an unset time, else the age at `now`. */
export function since(timestamp: string | undefined | null, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** labels.FormatLabels: `a=1,b=2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * metav1.FormatLabelSelector: `<none>` for a nil selector, `<none>` for an empty one too (upstream
 * prints the empty selector's String(), which is empty, as `<none>`), requirements sorted by key.
 */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return '<none>';
  let text: string;
  try {
    text = selectorToString(labelSelectorFromObject(selector));
  } catch {
    return '<error>';
  }
  return text === '' ? '<none>' : text;
}

/** The selector as `labels.Selector.String()` would print it (empty string for an empty selector). */
export function selectorString(selector: LabelSelector | undefined | null): string {
  const s = formatLabelSelector(selector ?? {});
  return s === '<none>' ? '' : s;
}

/** layoutContainerCells: container names and images, comma separated. */
export function containerCells(containers: { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** `a,b,c + 2 more...` after `max` entries; `empty` when there are none. */
export function listWithMore(items: string[], max: number, empty: string, separator = ','): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(separator);
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

/** GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that fixed order. */
export function accessModes(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** An IntOrString value as upstream's String() prints it. */
export function intOrStringText(v: number | string | undefined | null): string {
  return v === undefined || v === null ? '' : String(v);
}
