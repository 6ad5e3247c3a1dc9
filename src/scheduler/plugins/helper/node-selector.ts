// Compiled core/v1 NodeSelector matching (upstream component-helpers nodeaffinity): terms are ORed,
// requirements within a term ANDed; an empty or invalid term matches nothing. Compiled once per
// pod per cycle, then matched against many nodes without allocating.
import type { Node } from '../../../api/index.js';
import type { NodeSelector, NodeSelectorTerm } from './types.js';

type Op = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

interface Requirement {
  key: string;
  op: Op;
  values: readonly string[];
  /** Parsed bound of Gt/Lt. */
  bound: number;
}

interface CompiledTerm {
  labels: Requirement[];
  /** metadata.name requirements (In/NotIn with exactly one value). */
  fields: Requirement[];
}

const INT_RE = /^[+-]?\d+$/;

function compileRequirement(r: { key?: string; operator?: string; values?: readonly string[] | null }): Requirement | undefined {
  const values = r.values ?? [];
  const op = r.operator as Op;
  const key = r.key ?? '';
  switch (op) {
    case 'In': case 'NotIn':
      if (values.length === 0) return undefined;
      return { key, op, values, bound: 0 };
    case 'Exists': case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      return { key, op, values, bound: 0 };
    case 'Gt': case 'Lt':
      if (values.length !== 1 || !INT_RE.test(values[0]!)) return undefined;
      return { key, op, values, bound: Number(values[0]) };
    default:
      return undefined;
  }
}

function compileTerm(t: NodeSelectorTerm): CompiledTerm | undefined {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return undefined;
  const out: CompiledTerm = { labels: [], fields: [] };
  for (const e of exprs) {
    const r = compileRequirement(e);
    if (!r) return undefined;
    out.labels.push(r);
  }
  for (const f of fields) {
    if (f.key !== 'metadata.name' || (f.operator !== 'In' && f.operator !== 'NotIn') || (f.values ?? []).length !== 1) return undefined;
    out.fields.push(compileRequirement(f)!);
  }
  return out;
}

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  switch (r.op) {
    case 'In': return value !== undefined && r.values.includes(value);
    case 'NotIn': return value === undefined || !r.values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': case 'Lt': {
      if (value === undefined || !INT_RE.test(value)) return false;
      const v = Number(value);
      return r.op === 'Gt' ? v > r.bound : v < r.bound;
    }
  }
}

function termMatches(t: CompiledTerm, labels: Readonly<Record<string, string>>, name: string): boolean {
  for (const r of t.labels) if (!requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of t.fields) if (!requirementMatches(r, name)) return false;
  return true;
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** A compiled list of terms (upstream nodeaffinity.NodeSelector). */
export class CompiledNodeSelector {
  private readonly terms: CompiledTerm[];

  constructor(terms: readonly NodeSelectorTerm[]) {
    this.terms = [];
    for (const t of terms) {
      const c = compileTerm(t);
      if (c) this.terms.push(c);
    }
  }

  static fromSelector(sel: NodeSelector): CompiledNodeSelector {
    return new CompiledNodeSelector(sel.nodeSelectorTerms ?? []);
  }

  /** True if any valid term matches the node's labels and name. */
  match(node: Node): boolean {
    const labels = node.metadata?.labels ?? NO_LABELS;
    const name = node.metadata?.name ?? '';
    for (const t of this.terms) if (termMatches(t, labels, name)) return true;
    return false;
  }

  /** Whether a single term matches (preferred terms are scored one by one). */
  static termMatches(term: NodeSelectorTerm, node: Node): boolean {
    const c = compileTerm(term);
    return !!c && termMatches(c, node.metadata?.labels ?? NO_LABELS, node.metadata?.name ?? '');
  }
}

/** One compiled term, for preferred scheduling terms matched per node. */
export class CompiledNodeSelectorTerm {
  private readonly term: CompiledTerm | undefined;
  constructor(term: NodeSelectorTerm) {
    this.term = compileTerm(term);
  }
  match(node: Node): boolean {
    return !!this.term && termMatches(this.term, node.metadata?.labels ?? NO_LABELS, node.metadata?.name ?? '');
  }
}

/** True if `labels` contains every pair of `selector` (pod.spec.nodeSelector semantics). */
export function matchesNodeSelectorMap(selector: Readonly<Record<string, string>>, node: Node): boolean {
  const labels = node.metadata?.labels ?? NO_LABELS;
  for (const k in selector) if (!Object.hasOwn(labels, k) || labels[k] !== selector[k]) return false;
  return true;
}
