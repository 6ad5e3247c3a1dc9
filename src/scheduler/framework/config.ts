// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) in the shape users write, with
// upstream's defaulting: the default MultiPoint plugin set and weights, user enable/disable merged
// as upstream's mergePluginSet, and default plugin args.

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface PluginRef {
  name: string;
  /** Score weight (score extension point and MultiPoint only); 0 or absent means 1. */
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  /** `{name: '*'}` disables every default plugin of this extension point. */
  disabled?: { name: string }[];
}

export const EXTENSION_POINTS = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score',
  'reserve', 'permit', 'preBind', 'bind', 'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

export type Plugins = { [K in ExtensionPoint | 'multiPoint']?: PluginSet };

export interface PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

export interface KubeSchedulerProfile {
  schedulerName?: string;
  /** Overrides the global percentage for this profile (0 = adaptive). */
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

export interface KubeSchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  /** Global percentage of nodes to find feasible before scoring; 0/absent = adaptive (upstream). */
  percentageOfNodesToScore?: number;
  /** Base backoff for unschedulable pods, seconds (upstream default 1). */
  podInitialBackoffSeconds?: number;
  /** Maximum backoff, seconds (upstream default 10). */
  podMaxBackoffSeconds?: number;
  profiles?: KubeSchedulerProfile[];
}

/** Upstream getDefaultPlugins (v1): the MultiPoint set, in upstream order, with score weights. */
export function defaultPlugins(): Plugins {
  return {
    multiPoint: {
      enabled: [
        { name: 'SchedulingGates' },
        { name: 'PrioritySort' },
        { name: 'NodeUnschedulable' },
        { name: 'NodeName' },
        { name: 'TaintToleration', weight: 3 },
        { name: 'NodeAffinity', weight: 2 },
        { name: 'NodePorts' },
        { name: 'NodeResourcesFit', weight: 1 },
        { name: 'VolumeRestrictions' },
        { name: 'NodeVolumeLimits' },
        { name: 'VolumeBinding' },
        { name: 'VolumeZone' },
        { name: 'PodTopologySpread', weight: 2 },
        { name: 'InterPodAffinity', weight: 2 },
        { name: 'DefaultPreemption' },
        { name: 'NodeResourcesBalancedAllocation', weight: 1 },
        { name: 'ImageLocality', weight: 1 },
        { name: 'DefaultBinder' },
      ],
    },
  };
}

/** Upstream mergePluginSet: defaults minus disabled, user plugins replace defaults in place, rest appended. */
export function mergePluginSet(defaults: PluginSet | undefined, custom: PluginSet | undefined): PluginSet {
  const disabledNames = new Set<string>();
  const disabled: { name: string }[] = [];
  for (const d of [...(custom?.disabled ?? []), ...(defaults?.disabled ?? [])]) {
    disabled.push({ name: d.name });
    disabledNames.add(d.name);
  }
  const customEnabled = custom?.enabled ?? [];
  const customIndex = new Map<string, number>();
  customEnabled.forEach((p, i) => customIndex.set(p.name, i));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const p of defaults?.enabled ?? []) {
      if (disabledNames.has(p.name)) continue;
      const i = customIndex.get(p.name);
      if (i !== undefined) {
        enabled.push({ ...customEnabled[i]! });
        replaced.add(i);
      } else {
        enabled.push({ ...p });
      }
    }
  }
  customEnabled.forEach((p, i) => { if (!replaced.has(i)) enabled.push({ ...p }); });
  return { enabled, disabled };
}

/** Upstream mergePlugins over every extension point and MultiPoint. */
export function mergePlugins(defaults: Plugins, custom: Plugins | undefined): Plugins {
  if (!custom) return defaults;
  const out: Plugins = {};
  for (const ep of [...EXTENSION_POINTS, 'multiPoint'] as const) out[ep] = mergePluginSet(defaults[ep], custom[ep]);
  return out;
}

const resources = (): { name: string; weight: number }[] => [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];

/** Default args per plugin (upstream SetDefaults_*Args); applied field by field to user args. */
const ARG_DEFAULTS: Record<string, (args: Record<string, any>) => Record<string, any>> = {
  DefaultPreemption: (a) => ({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100, ...a }),
  InterPodAffinity: (a) => ({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false, ...a }),
  NodeAffinity: (a) => ({ ...a }),
  NodeResourcesBalancedAllocation: (a) => ({ ...a, resources: a.resources?.length ? a.resources : resources() }),
  NodeResourcesFit: (a) => {
    const s = a.scoringStrategy ?? {};
    const strategy: Record<string, any> = { ...s, type: s.type || 'LeastAllocated', resources: s.resources?.length ? s.resources : resources() };
    if (strategy.type === 'RequestedToCapacityRatio' && !strategy.requestedToCapacityRatio) {
      strategy.requestedToCapacityRatio = { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] };
    }
    return { ...a, scoringStrategy: strategy };
  },
  PodTopologySpread: (a) => ({ defaultingType: 'System', ...a }),
  VolumeBinding: (a) => ({ bindTimeoutSeconds: 600, ...a }),
};

/** Args with upstream defaults for `name`; `undefined` for plugins without args. */
export function defaultPluginArgs(name: string, args: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const f = ARG_DEFAULTS[name];
  if (!f) return args;
  return f(args ?? {});
}

/** A profile with upstream defaults applied (plugins merged, schedulerName, percentage kept). */
export function defaultProfile(profile: KubeSchedulerProfile = {}): Required<Pick<KubeSchedulerProfile, 'schedulerName' | 'plugins' | 'pluginConfig'>> & KubeSchedulerProfile {
  return {
    ...profile,
    schedulerName: profile.schedulerName || DEFAULT_SCHEDULER_NAME,
    plugins: mergePlugins(defaultPlugins(), profile.plugins),
    pluginConfig: profile.pluginConfig ?? [],
  };
}

/** The configuration with defaults (one default profile when none is given). */
export function defaultConfiguration(cfg: KubeSchedulerConfiguration = {}): KubeSchedulerConfiguration & { profiles: KubeSchedulerProfile[] } {
  const profiles = cfg.profiles?.length ? cfg.profiles : [{}];
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    podInitialBackoffSeconds: 1,
    podMaxBackoffSeconds: 10,
    ...cfg,
    percentageOfNodesToScore: cfg.percentageOfNodesToScore ?? 0,
    profiles: profiles.map(defaultProfile),
  };
}
