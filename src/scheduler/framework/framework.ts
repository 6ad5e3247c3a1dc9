// One profile's framework (upstream frameworkImpl): runs each extension point's plugins in order
// and turns their statuses into the cycle's outcome. Called by the algorithm (PreFilter → Score)
// and by the scheduler loop (Reserve → PostBind). Holds no per-pod state between calls.
import type { Pod } from '../../api/index.js';
import { buildPlugins } from './build.js';
import { defaultProfile, type KubeSchedulerProfile } from './config.js';
import type { CycleState } from './cycle-state.js';
import {
  MAX_NODE_SCORE, MIN_NODE_SCORE, PreFilterResult,
  type BindPlugin, type FilterPlugin, type NodeToStatus, type PermitPlugin, type Plugin, type PostBindPlugin,
  type PostFilterPlugin, type PostFilterResult, type PreBindPlugin, type PreEnqueuePlugin, type PreFilterPlugin,
  type PreScorePlugin, type QueuedPodInfo, type QueueSortPlugin, type ReservePlugin, type ScorePlugin,
} from './interfaces.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Binder, Handle, Preempter, Registry } from './registry.js';
import type { Snapshot } from './snapshot.js';
import { asStatus, Code, newStatus, SKIP, Status, SUCCESS } from './status.js';

export interface FrameworkOptions {
  /** Milliseconds; defaults to Date.now (only the I/O edge should rely on the default). */
  clock?: () => number;
  binder?: Binder;
  /** Deletes preemption victims (the scheduler loop's I/O edge); none by default. */
  preempt?: Preempter;
  /** Pods nominated to a node (upstream PodNominator); none by default. */
  nominatedPodsForNode?: (nodeName: string) => readonly PodInfo[];
  /** Whether any pod is nominated anywhere (a per-node fast path for Filter); default: ask per node. */
  hasNominatedPods?: () => boolean;
  /** Global percentageOfNodesToScore, used when the profile sets none. */
  percentageOfNodesToScore?: number;
}

/** Outcome of PreFilter: `nodeNames` undefined means all nodes remain candidates. */
export interface PreFilterOutcome {
  status: Status;
  nodeNames?: ReadonlySet<string>;
  /** Plugins whose result narrowed the nodes (for the "didn't satisfy plugin(s)" message). */
  narrowingPlugins: string[];
}

/** Scores of one cycle, parallel to the nodes passed to runScorePlugins. */
export interface ScoreOutcome {
  /** Weighted sum per node. */
  totals: number[];
  /** Per plugin: weighted scores per node (for debugging and tests). */
  byPlugin: Map<string, number[]>;
}

const EMPTY_PODS: readonly PodInfo[] = [];

export class Framework {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly handle: Handle;
  private readonly preEnqueuePlugins: PreEnqueuePlugin[];
  private readonly queueSortPlugin: QueueSortPlugin;
  private readonly preFilterPlugins: PreFilterPlugin[];
  private readonly filterPlugins: FilterPlugin[];
  /** Per cycle: the Filter plugins PreFilter did not skip (see activeFilterPlugins). */
  private readonly activeFilters = new WeakMap<CycleState, { skipped: number; plugins: FilterPlugin[] }>();
  private lastActiveFilters: { state: CycleState; skipped: number; plugins: FilterPlugin[] } | undefined;
  private readonly postFilterPlugins: PostFilterPlugin[];
  private readonly preScorePlugins: PreScorePlugin[];
  private readonly scorePlugins: ScorePlugin[];
  private readonly scoreWeights: number[];
  private readonly reservePlugins: ReservePlugin[];
  private readonly permitPlugins: PermitPlugin[];
  private readonly preBindPlugins: PreBindPlugin[];
  private readonly bindPlugins: BindPlugin[];
  private readonly postBindPlugins: PostBindPlugin[];
  private readonly instances: Map<string, Plugin>;
  private currentSnapshot: Snapshot | undefined;
  /** Reused by runScorePluginsTotals across cycles. */
  private readonly scratchTotals: number[] = [];
  private readonly scratchScores: number[][] = [];

  /** Builds the framework of one profile; throws on configuration errors (as upstream NewFramework). */
  constructor(registry: Registry, profile: KubeSchedulerProfile = {}, opts: FrameworkOptions = {}) {
    const p = defaultProfile(profile);
    this.profileName = p.schedulerName;
    this.percentageOfNodesToScore = p.percentageOfNodesToScore ?? opts.percentageOfNodesToScore;
    const clock = opts.clock ?? Date.now;
    const nominated = opts.nominatedPodsForNode ?? (() => EMPTY_PODS);
    this.handle = {
      snapshot: () => {
        if (!this.currentSnapshot) throw new Error('no snapshot: the scheduling cycle has not started');
        return this.currentSnapshot;
      },
      now: clock,
      framework: () => this,
      binder: opts.binder,
      preempt: opts.preempt,
      nominatedPodsForNode: nominated,
      hasNominatedPods: opts.hasNominatedPods ?? (opts.nominatedPodsForNode ? undefined : () => false),
    };
    const built = buildPlugins(p.plugins, p.pluginConfig, registry, this.handle);
    const b = built.byPoint;
    this.instances = built.instances;
    this.preEnqueuePlugins = b.preEnqueue as PreEnqueuePlugin[];
    this.queueSortPlugin = b.queueSort[0] as QueueSortPlugin;
    this.preFilterPlugins = b.preFilter as PreFilterPlugin[];
    this.filterPlugins = b.filter as FilterPlugin[];
    this.postFilterPlugins = b.postFilter as PostFilterPlugin[];
    this.preScorePlugins = b.preScore as PreScorePlugin[];
    this.scorePlugins = b.score as ScorePlugin[];
    this.scoreWeights = this.scorePlugins.map((s) => built.scoreWeights.get(s.name) ?? 1);
    this.reservePlugins = b.reserve as ReservePlugin[];
    this.permitPlugins = b.permit as PermitPlugin[];
    this.preBindPlugins = b.preBind as PreBindPlugin[];
    this.bindPlugins = b.bind as BindPlugin[];
    this.postBindPlugins = b.postBind as PostBindPlugin[];
  }

  /** Makes `snapshot` the one plugins see through the handle; the algorithm calls it per cycle. */
  setSnapshot(snapshot: Snapshot): void {
    this.currentSnapshot = snapshot;
  }

  /** Plugin names per extension point, in run order (score entries as `name:weight`). */
  listPlugins(): Record<string, string[]> {
    const names = (l: Plugin[]): string[] => l.map((x) => x.name);
    return {
      preEnqueue: names(this.preEnqueuePlugins), queueSort: [this.queueSortPlugin.name],
      preFilter: names(this.preFilterPlugins), filter: names(this.filterPlugins),
      postFilter: names(this.postFilterPlugins), preScore: names(this.preScorePlugins),
      score: this.scorePlugins.map((s, i) => `${s.name}:${this.scoreWeights[i]}`),
      reserve: names(this.reservePlugins), permit: names(this.permitPlugins), preBind: names(this.preBindPlugins),
      bind: names(this.bindPlugins), postBind: names(this.postBindPlugins),
    };
  }

  plugin(name: string): Plugin | undefined {
    return this.instances.get(name);
  }

  hasFilterPlugins(): boolean { return this.filterPlugins.length > 0; }
  hasScorePlugins(): boolean { return this.scorePlugins.length > 0; }
  hasPostFilterPlugins(): boolean { return this.postFilterPlugins.length > 0; }

  queueSortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    return this.queueSortPlugin.less(a, b);
  }

  /** First non-success PreEnqueue status, attributed to its plugin; SUCCESS if all pass. */
  runPreEnqueuePlugins(pod: Pod): Status {
    for (const pl of this.preEnqueuePlugins) {
      const s = pl.preEnqueue(pod);
      if (!s.isSuccess()) return (s.isRejected() ? s : asStatus(`running PreEnqueue plugin ${pl.name}: ${s.message()}`)).withPlugin(pl.name);
    }
    return SUCCESS;
  }

  /**
   * Upstream RunPreFilterPlugins: Skip marks the plugin's Filter as skipped; a rejection ends the
   * cycle; results are intersected and an empty intersection is UnschedulableAndUnresolvable.
   */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome {
    let result: PreFilterResult | undefined;
    const narrowing: string[] = [];
    for (const pl of this.preFilterPlugins) {
      const r = pl.preFilter(state, pod, nodes);
      if (r instanceof PreFilterResult) {
        narrowing.push(pl.name);
        result = r.merge(result);
        if (result.nodeNames.size === 0) {
          const msg = narrowing.length === 1
            ? `node(s) didn't satisfy plugin ${narrowing[0]}`
            : `node(s) didn't satisfy plugin(s) [${narrowing.join(' ')}] simultaneously`;
          return { status: newStatus(Code.UnschedulableAndUnresolvable, msg), nodeNames: result.nodeNames, narrowingPlugins: narrowing };
        }
        continue;
      }
      if (r.isSkip()) { state.skipFilterPlugins.add(pl.name); continue; }
      if (!r.isSuccess()) {
        const s = r.isRejected() ? r.withPlugin(pl.name) : asStatus(`running PreFilter plugin "${pl.name}": ${r.message()}`).withPlugin(pl.name);
        return { status: s, narrowingPlugins: narrowing };
      }
    }
    return { status: SUCCESS, nodeNames: result?.nodeNames, narrowingPlugins: narrowing };
  }

  /** Upstream RunFilterPlugins: the first non-success status, attributed to its plugin. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const plugins = this.activeFilterPlugins(state);
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i]!;
      const s = pl.filter(state, pod, nodeInfo);
      if (s.code !== Code.Success) {
        if (!s.isRejected()) return asStatus(`running "${pl.name}" filter plugin: ${s.message()}`).withPlugin(pl.name);
        return s.withPlugin(pl.name);
      }
    }
    return SUCCESS;
  }

  /**
   * The Filter plugins not skipped by PreFilter. Filter runs once per node, so the list is worked
   * out once per cycle state (skipFilterPlugins only changes during PreFilter, before any Filter).
   */
  private activeFilterPlugins(state: CycleState): FilterPlugin[] {
    const skip = state.skipFilterPlugins;
    if (skip.size === 0) return this.filterPlugins;
    // The last cycle state's list answers the other ~500 calls of its cycle without a WeakMap lookup.
    const last = this.lastActiveFilters;
    if (last !== undefined && last.state === state && last.skipped === skip.size) return last.plugins;
    let cached = this.activeFilters.get(state);
    if (!cached || cached.skipped !== skip.size) {
      cached = { skipped: skip.size, plugins: this.filterPlugins.filter((pl) => !skip.has(pl.name)) };
      this.activeFilters.set(state, cached);
    }
    this.lastActiveFilters = { state, skipped: cached.skipped, plugins: cached.plugins };
    return cached.plugins;
  }

  /**
   * Upstream RunFilterPluginsWithNominatedPods: when pods of equal or higher priority are
   * nominated to the node, the pod must fit both with them (pass 1) and without them (pass 2).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (this.handle.hasNominatedPods && !this.handle.hasNominatedPods()) return this.runFilterPlugins(state, pod, nodeInfo);
    const nominated = this.handle.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const priority = pod.spec?.priority ?? 0;
    const uid = pod.metadata?.uid;
    let stateWith: CycleState | undefined;
    let infoWith: NodeInfo | undefined;
    for (const pi of nominated) {
      if ((pi.pod.spec?.priority ?? 0) < priority || (uid && pi.pod.metadata?.uid === uid)) continue;
      if (!stateWith) { stateWith = state.clone(); infoWith = nodeInfo.clone(); }
      infoWith!.addPodInfo(pi);
      const s = this.runPreFilterExtensionAddPod(stateWith, pod, pi, infoWith!);
      if (!s.isSuccess()) return s;
    }
    if (stateWith) {
      const s = this.runFilterPlugins(stateWith, pod, infoWith!);
      if (!s.isSuccess()) return s;
    }
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  /** Preemption's what-if: tell every PreFilter plugin with extensions that a pod was added. */
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.preFilterPlugins) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = ext.addPod(state, pod, podInfoToAdd, nodeInfo);
      if (!s.isSuccess()) return asStatus(`running AddPod on PreFilter plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
    }
    return SUCCESS;
  }

  /** Preemption's what-if: tell every PreFilter plugin with extensions that a pod was removed. */
  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.preFilterPlugins) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = ext.removePod(state, pod, podInfoToRemove, nodeInfo);
      if (!s.isSuccess()) return asStatus(`running RemovePod on PreFilter plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
    }
    return SUCCESS;
  }

  /** Upstream RunPostFilterPlugins: first success wins; rejections' reasons are collected. */
  runPostFilterPlugins(state: CycleState, pod: Pod, filtered: NodeToStatus): { result?: PostFilterResult; status: Status } {
    const reasons: string[] = [];
    let rejector = '';
    let result: PostFilterResult | undefined;
    for (const pl of this.postFilterPlugins) {
      const r = pl.postFilter(state, pod, filtered);
      const s = r.status;
      if (s.isSuccess()) return r;
      if (s.code === Code.UnschedulableAndUnresolvable) return { result: r.result, status: s.withPlugin(pl.name) };
      if (!s.isRejected()) return { status: asStatus(s.message()).withPlugin(pl.name) };
      if (r.result) result = r.result;
      reasons.push(...s.reasons);
      if (!rejector) rejector = pl.name;
    }
    return { result, status: new Status(Code.Unschedulable, reasons, rejector) };
  }

  /** Upstream RunPreScorePlugins: Skip marks the plugin's Score as skipped. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const pl of this.preScorePlugins) {
      const s = pl.preScore(state, pod, nodes);
      if (s.isSkip()) { state.skipScorePlugins.add(pl.name); continue; }
      if (!s.isSuccess()) return asStatus(`running PreScore plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
    }
    return SUCCESS;
  }

  /**
   * Upstream RunScorePlugins: raw scores per plugin, normalized by the plugin's extension, checked
   * to lie in [0, MAX_NODE_SCORE], then multiplied by the plugin's weight and summed per node.
   */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): ScoreOutcome | Status {
    const totals = new Array<number>(nodes.length);
    const byPlugin = new Map<string, number[]>();
    const s = this.scoreInto(state, pod, nodes, totals, (pl) => {
      const scores: number[] = [];
      byPlugin.set(pl.name, scores);
      return scores;
    });
    return s ?? { totals, byPlugin };
  }

  /**
   * runScorePlugins for the scheduling algorithm: only the totals, in an array the framework reuses
   * (valid until the next call), and per-plugin arrays reused across cycles, so a cycle over
   * ~500 nodes allocates no score arrays.
   */
  runScorePluginsTotals(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): number[] | Status {
    const totals = this.scratchTotals;
    totals.length = nodes.length;
    let p = 0;
    const s = this.scoreInto(state, pod, nodes, totals, () => this.scratchScores[p++] ??= []);
    return s ?? totals;
  }

  /** The scoring of both runScorePlugins variants; `scoresFor` gives each plugin's array. */
  private scoreInto(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], totals: number[], scoresFor: (pl: ScorePlugin) => number[]): Status | undefined {
    const n = nodes.length;
    totals.fill(0, 0, n);
    for (let p = 0; p < this.scorePlugins.length; p++) {
      const pl = this.scorePlugins[p]!;
      if (state.skipScorePlugins.has(pl.name)) continue;
      const scores = scoresFor(pl);
      scores.length = n;
      for (let i = 0; i < n; i++) {
        const r = pl.score(state, pod, nodes[i]!);
        if (typeof r !== 'number') return asStatus(`running Score plugin "${pl.name}": ${r.message()}`).withPlugin(pl.name);
        scores[i] = r;
      }
      const ext = pl.scoreExtensions?.();
      if (ext) {
        const s = ext.normalizeScore(state, pod, scores, nodes);
        if (!s.isSuccess()) return asStatus(`running Normalize on Score plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
      }
      const weight = this.scoreWeights[p]!;
      for (let i = 0; i < n; i++) {
        const v = scores[i]!;
        if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) {
          return asStatus(`plugin "${pl.name}" returns an invalid score ${v}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`).withPlugin(pl.name);
        }
        scores[i] = v * weight;
        totals[i]! += scores[i]!;
      }
    }
    return undefined;
  }

  /** Upstream RunReservePluginsReserve: stops at the first failure (the caller then unreserves). */
  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const pl of this.reservePlugins) {
      const s = pl.reserve(state, pod, nodeName);
      if (!s.isSuccess()) return (s.isRejected() ? s : asStatus(`running Reserve plugin "${pl.name}": ${s.message()}`)).withPlugin(pl.name);
    }
    return SUCCESS;
  }

  /** Upstream RunReservePluginsUnreserve: every Reserve plugin, in reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  /**
   * Upstream RunPermitPlugins: a rejection ends it; Wait from any plugin makes the result Wait with
   * the smallest timeout. The waiting itself is the scheduler loop's job.
   */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs?: number } {
    let timeoutMs: number | undefined;
    for (const pl of this.permitPlugins) {
      const { status: s, timeoutMs: t } = pl.permit(state, pod, nodeName);
      if (s.isSuccess()) continue;
      if (s.isRejected()) return { status: s.withPlugin(pl.name) };
      if (s.isWait()) { timeoutMs = Math.min(timeoutMs ?? Infinity, t ?? 0); continue; }
      return { status: asStatus(`running Permit plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name) };
    }
    if (timeoutMs !== undefined) return { status: newStatus(Code.Wait, `one or more plugins asked to wait and no plugin rejected pod "${pod.metadata?.name ?? ''}"`), timeoutMs };
    return { status: SUCCESS };
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const pl of this.preBindPlugins) {
      const s = await pl.preBind(state, pod, nodeName);
      if (!s.isSuccess()) return (s.isRejected() ? s : asStatus(`running PreBind plugin "${pl.name}": ${s.message()}`)).withPlugin(pl.name);
    }
    return SUCCESS;
  }

  /** Upstream RunBindPlugins: the first plugin not returning Skip decides; all Skip → Skip. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const pl of this.bindPlugins) {
      const s = await pl.bind(state, pod, nodeName);
      if (s.isSkip()) continue;
      if (!s.isSuccess()) return (s.isRejected() ? s : asStatus(`running Bind plugin "${pl.name}": ${s.message()}`)).withPlugin(pl.name);
      return s;
    }
    return SKIP;
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const pl of this.postBindPlugins) pl.postBind(state, pod, nodeName);
  }
}

