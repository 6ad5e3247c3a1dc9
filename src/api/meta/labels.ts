// Label selectors: the `?labelSelector=` string form and the metav1.LabelSelector object form
// (spec.selector of Deployments, Services' selector maps, …) both become one ParsedLabelSelector,
// matched by pure functions. Mirrors k8s.io/apimachinery/pkg/labels and
// metav1.LabelSelectorAsSelector. Callers: the API server (list/watch filtering), controllers
// (owned objects), the scheduler (affinity, spread) — all must agree, so all use these.
import { newRequirement, requirementMatches, requirementToString, type LabelRequirement } from './label-requirement.js';
import { parseLabelRequirements } from './label-selector-parser.js';
import { SelectorParseError } from './selector-error.js';

export { SelectorParseError } from './selector-error.js';
export type { LabelOperator, LabelRequirement } from './label-requirement.js';

/**
 * A selector: all requirements must hold (AND). `matchesNothing` marks upstream's Nothing()
 * selector (from a null metav1.LabelSelector), which matches no object.
 */
export interface ParsedLabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly matchesNothing?: boolean;
}

/** The metav1.LabelSelector object shape (structural; any object with these fields). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | null }[] | null;
}

const byKey = (a: LabelRequirement, b: LabelRequirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Matches everything (upstream labels.Everything()). */
export const EVERYTHING_LABELS: ParsedLabelSelector = Object.freeze({ requirements: Object.freeze([]) });

/** Matches nothing (upstream labels.Nothing()). */
export const NOTHING_LABELS: ParsedLabelSelector = Object.freeze({ requirements: Object.freeze([]), matchesNothing: true });

/**
 * Parses `?labelSelector=` text (upstream labels.Parse): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma = AND. Empty text selects everything.
 * Throws SelectorParseError with upstream's message, e.g.
 * `unable to parse requirement: <nil>: Invalid value: "a b": …`.
 */
export function parseLabelSelector(text: string): ParsedLabelSelector {
  return { requirements: parseLabelRequirements(text) };
}

/**
 * metav1.LabelSelector → selector (upstream LabelSelectorAsSelector): null/undefined matches
 * nothing, `{}` matches everything. Throws SelectorParseError for invalid keys, values or operators.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): ParsedLabelSelector {
  if (sel === null || sel === undefined) return NOTHING_LABELS;
  const matchLabels = sel.matchLabels ?? {};
  const expressions = sel.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return EVERYTHING_LABELS;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const op = Object.hasOwn(OBJECT_OPERATORS, expr.operator) ? OBJECT_OPERATORS[expr.operator] : undefined;
    if (!op) throw new SelectorParseError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  return { requirements: reqs.sort(byKey) };
}

const OBJECT_OPERATORS: Record<string, LabelRequirement['operator'] | undefined> = {
  In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!',
};

/**
 * A selector matching exactly the given labels (upstream SelectorFromSet, unvalidated); an empty
 * or missing set matches everything. Services' `spec.selector` maps use this.
 */
export function labelSelectorFromSet(set: Readonly<Record<string, string>> | null | undefined): ParsedLabelSelector {
  const entries = Object.entries(set ?? {});
  if (entries.length === 0) return EVERYTHING_LABELS;
  return { requirements: entries.map(([key, v]) => ({ key, operator: '=' as const, values: [v] })).sort(byKey) };
}

/** True if every requirement holds for `labels` (missing labels = no labels). */
export function matchesLabels(selector: ParsedLabelSelector, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  if (selector.matchesNothing) return false;
  const set = labels ?? {};
  return selector.requirements.every((r) => requirementMatches(r, set));
}

/** True for a selector that does not restrict (upstream Selector.Empty()). */
export function isEverything(selector: ParsedLabelSelector): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}

/** Upstream Selector.String(): `a=b,c in (x,y),!d`; the nothing-selector renders as ''. */
export function selectorToString(selector: ParsedLabelSelector): string {
  if (selector.matchesNothing) return '';
  return selector.requirements.map(requirementToString).join(',');
}

/**
 * The value a selector pins `key` to (`key=v`, `key==v`, `key in (v)`), or undefined — upstream
 * RequiresExactMatch, used to serve a list from an index.
 */
export function labelSelectorExactMatch(selector: ParsedLabelSelector, key: string): string | undefined {
  const r = selector.requirements.find((x) => x.key === key);
  if (!r || !['=', '==', 'in'].includes(r.operator) || r.values.length !== 1) return undefined;
  return r.values[0];
}

/** Both selectors must hold (used to combine a request's selector with a server-side one). */
export function andLabelSelectors(a: ParsedLabelSelector, b: ParsedLabelSelector): ParsedLabelSelector {
  if (a.matchesNothing || b.matchesNothing) return NOTHING_LABELS;
  return { requirements: [...a.requirements, ...b.requirements].sort(byKey) };
}
