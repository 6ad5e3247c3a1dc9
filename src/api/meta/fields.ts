// Field selectors for `?fieldSelector=` (k8s.io/apimachinery/pkg/fields): `field=value`,
// `field==value`, `field!=value`, comma = AND, with `\,` `\=` `\\` escapes in values. Only the
// fields a resource declares are selectable; the API server checks that with
// fieldSelectorRequirements / checkFieldSelectorFields before matching.
import { SelectorParseError } from './selector-error.js';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is stored as `=`, as upstream does. */
  readonly operator: '=' | '!=';
  /** The unescaped value. */
  readonly value: string;
}

export interface ParsedFieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas that are not escaped; escapes are kept for unescapeValue. Upstream splitTerms. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** First operator occurrence wins; `!=` and `==` are tried before `=` at each position. */
function splitTerm(term: string): [string, '=' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op === '!=' ? '!=' : '=', term.slice(i + op.length)];
    }
  }
  return undefined;
}

/**
 * Upstream UnescapeValue. Its messages print an unescaped rune with Go's %v, i.e. as its code
 * point number (`unescaped character in value: 61` for '='); kept for fidelity.
 */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      throw new SelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw new SelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Upstream EscapeValue: the inverse of the value unescaping. */
export function escapeFieldSelectorValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Parses `?fieldSelector=` text (upstream fields.ParseSelector). Terms are sorted as upstream does;
 * empty terms are skipped; field names are taken verbatim (no trimming). Throws SelectorParseError,
 * e.g. `invalid selector: 'a'; can't understand 'a'`.
 */
export function parseFieldSelector(text: string): ParsedFieldSelector {
  const terms = splitTerms(text).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [field, operator, raw] = split;
    requirements.push({ field, operator, value: unescapeValue(raw) });
  }
  return { requirements };
}

/** A selector matching exactly these field values (upstream fields.SelectorFromSet). */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): ParsedFieldSelector {
  return { requirements: Object.entries(set).map(([field, value]) => ({ field, operator: '=' as const, value })) };
}

/**
 * True if every requirement holds. `getField` returns the object's value for a selectable field;
 * a missing field reads as '' (upstream fields.Set.Get).
 */
export function matchesFields(selector: ParsedFieldSelector, getField: (name: string) => string | undefined): boolean {
  return selector.requirements.every((r) => {
    const actual = getField(r.field) ?? '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}

/** The requirements, so the server can check each field is supported for the resource. */
export function fieldSelectorRequirements(selector: ParsedFieldSelector): readonly FieldRequirement[] {
  return selector.requirements;
}

/**
 * Throws SelectorParseError(`field label not supported: <name>`) for the first field not in
 * `supported`, as upstream's per-resource field label conversion does.
 */
export function checkFieldSelectorFields(selector: ParsedFieldSelector, supported: readonly string[]): void {
  for (const r of selector.requirements) {
    if (!supported.includes(r.field)) throw new SelectorParseError(`field label not supported: ${r.field}`);
  }
}

export function isEmptyFieldSelector(selector: ParsedFieldSelector): boolean {
  return selector.requirements.length === 0;
}

/** The value the selector pins `field` to with `=`, or undefined (upstream RequiresExactMatch). */
export function fieldSelectorExactMatch(selector: ParsedFieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

/** Upstream Selector.String(): `a=b,c!=d` with values escaped. */
export function fieldSelectorToString(selector: ParsedFieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldSelectorValue(r.value)}`).join(',');
}
