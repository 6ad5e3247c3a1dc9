// PreFilter + Filter + PreScore + Score (upstream NodeAffinity): spec.nodeSelector and required
// node affinity must match; preferred terms add their weights. Args may add a scheduler-enforced
// affinity (addedAffinity) that every pod of the profile must also satisfy.
import type { Node, Pod } from '../../../api/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import {
  MAX_NODE_SCORE, PreFilterResult,
  type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScoreExtensions, type ScorePlugin,
} from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PluginFactory } from '../../framework/registry.js';
import { Code, SKIP, Status, SUCCESS } from '../../framework/status.js';
import { defaultNormalizeScore } from '../helper/normalize.js';
import { CompiledNodeSelector, CompiledNodeSelectorTerm, matchesNodeSelectorMap } from '../helper/node-selector.js';
import type { NodeAffinity, PreferredSchedulingTerm } from '../helper/types.js';

export const name = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
const PRE_FILTER_KEY = `PreFilter${name}`;
const PRE_SCORE_KEY = `PreScore${name}`;

/** NodeAffinityArgs. */
export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinity;
}

/** The pod's nodeSelector and required node affinity (upstream RequiredNodeAffinity). */
export class RequiredNodeAffinity {
  private readonly selector: Readonly<Record<string, string>> | undefined;
  private readonly required: CompiledNodeSelector | undefined;

  constructor(pod: Pod) {
    const sel = pod.spec?.nodeSelector;
    this.selector = sel && Object.keys(sel).length > 0 ? sel : undefined;
    const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.required = req ? CompiledNodeSelector.fromSelector(req) : undefined;
  }

  match(node: Node): boolean {
    if (this.selector && !matchesNodeSelectorMap(this.selector, node)) return false;
    return !this.required || this.required.match(node);
  }
}

interface WeightedTerm { weight: number; term: CompiledNodeSelectorTerm }

function compilePreferred(terms: readonly PreferredSchedulingTerm[] | undefined, out: WeightedTerm[]): void {
  for (const t of terms ?? []) {
    if (!t.weight) continue;
    out.push({ weight: t.weight, term: new CompiledNodeSelectorTerm(t.preference ?? {}) });
  }
}

class FilterState implements StateData {
  constructor(readonly required: RequiredNodeAffinity) {}
  clone(): StateData { return this; }
}

class ScoreState implements StateData {
  constructor(readonly preferred: readonly WeightedTerm[]) {}
  clone(): StateData { return this; }
}

const REJECTED_POD = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_POD], name);
const REJECTED_ENFORCED = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_ENFORCED], name);

/**
 * Node names pinned by `metadata.name In` match fields (upstream PreFilter): undefined when some
 * term does not pin names (all nodes remain candidates), empty when the terms conflict.
 */
export function nodeNamesFromAffinity(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  let union: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    union = union ? new Set([...union, ...termNames]) : termNames;
  }
  return union;
}

const normalize: ScoreExtensions = {
  normalizeScore(_state: CycleState, _pod: Pod, scores: number[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return SUCCESS;
  },
};

export const factory: PluginFactory = (rawArgs) => {
  const args = (rawArgs ?? {}) as NodeAffinityArgs;
  const added = args.addedAffinity;
  const addedRequired = added?.requiredDuringSchedulingIgnoredDuringExecution
    ? CompiledNodeSelector.fromSelector(added.requiredDuringSchedulingIgnoredDuringExecution)
    : undefined;
  const addedPreferred: WeightedTerm[] = [];
  compilePreferred(added?.preferredDuringSchedulingIgnoredDuringExecution, addedPreferred);

  return {
    name,
    preFilter(state: CycleState, pod: Pod): Status | PreFilterResult {
      const spec = pod.spec;
      const noAffinity = !spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (noAffinity && !addedRequired && !spec?.nodeSelector) return SKIP;
      state.write(PRE_FILTER_KEY, new FilterState(new RequiredNodeAffinity(pod)));
      const names = nodeNamesFromAffinity(pod);
      if (!names) return SUCCESS;
      if (names.size === 0) return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_CONFLICT]);
      return new PreFilterResult(names);
    },
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const node = nodeInfo.node!;
      if (addedRequired && !addedRequired.match(node)) return REJECTED_ENFORCED;
      let s = state.read<FilterState>(PRE_FILTER_KEY);
      if (!s) s = new FilterState(new RequiredNodeAffinity(pod));
      return s.required.match(node) ? SUCCESS : REJECTED_POD;
    },
    preScore(state: CycleState, pod: Pod): Status {
      const terms = [...addedPreferred];
      compilePreferred(pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution, terms);
      if (terms.length === 0) return SKIP;
      state.write(PRE_SCORE_KEY, new ScoreState(terms));
      return SUCCESS;
    },
    score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
      const s = state.read<ScoreState>(PRE_SCORE_KEY);
      if (!s) return 0;
      const node = nodeInfo.node!;
      let total = 0;
      for (const t of s.preferred) if (t.term.match(node)) total += t.weight;
      return total;
    },
    scoreExtensions: () => normalize,
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
};
