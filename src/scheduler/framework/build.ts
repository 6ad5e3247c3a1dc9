// Turns a profile (plugin sets, weights, args) into instantiated, ordered plugin lists per
// extension point, as upstream NewFramework and expandMultiPointPlugins do. Pure: only calls the
// registry's factories.
import { defaultPluginArgs, defaultPlugins, EXTENSION_POINTS, type ExtensionPoint, type KubeSchedulerProfile, type Plugins } from './config.js';
import * as ifc from './interfaces.js';
import type { Handle, Registry } from './registry.js';

const IMPLEMENTS: Record<ExtensionPoint, (p: ifc.Plugin) => boolean> = {
  preEnqueue: ifc.isPreEnqueuePlugin,
  queueSort: ifc.isQueueSortPlugin,
  preFilter: ifc.isPreFilterPlugin,
  filter: ifc.isFilterPlugin,
  postFilter: ifc.isPostFilterPlugin,
  preScore: ifc.isPreScorePlugin,
  score: ifc.isScorePlugin,
  reserve: ifc.isReservePlugin,
  permit: ifc.isPermitPlugin,
  preBind: ifc.isPreBindPlugin,
  bind: ifc.isBindPlugin,
  postBind: ifc.isPostBindPlugin,
};

/** Upstream's extension point names, used in configuration errors. */
const POINT_TITLES: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueue', queueSort: 'QueueSort', preFilter: 'PreFilter', filter: 'Filter',
  postFilter: 'PostFilter', preScore: 'PreScore', score: 'Score', reserve: 'Reserve', permit: 'Permit',
  preBind: 'PreBind', bind: 'Bind', postBind: 'PostBind',
};

export interface BuiltPlugins {
  byPoint: Record<ExtensionPoint, ifc.Plugin[]>;
  scoreWeights: Map<string, number>;
  instances: Map<string, ifc.Plugin>;
}

/**
 * Instantiates the profile's plugins. `plugins` must already be merged with the defaults. Plugins
 * of upstream's default set that this build does not register (volume plugins, ImageLocality, …)
 * are left out; any other unknown name is an error, as upstream.
 */
export function buildPlugins(plugins: Plugins, pluginConfig: KubeSchedulerProfile['pluginConfig'], registry: Registry, handle: Handle): BuiltPlugins {
  const defaultNames = new Set((defaultPlugins().multiPoint?.enabled ?? []).map((p) => p.name));
  const args = new Map<string, Record<string, unknown> | undefined>();
  for (const pc of pluginConfig ?? []) {
    if (args.has(pc.name)) throw new Error(`repeated config for plugin ${pc.name}`);
    args.set(pc.name, pc.args);
  }
  const needed: string[] = [];
  const seen = new Set<string>();
  for (const ep of ['multiPoint', ...EXTENSION_POINTS] as const) {
    for (const p of plugins[ep]?.enabled ?? []) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      if (registry.has(p.name)) needed.push(p.name);
      else if (!defaultNames.has(p.name) || !isDefaultOnly(plugins, p.name)) throw new Error(`plugin "${p.name}" does not exist`);
    }
  }
  const instances = new Map<string, ifc.Plugin>();
  for (const name of needed) instances.set(name, registry.get(name)!(defaultPluginArgs(name, args.get(name)), handle));

  const byPoint = {} as Record<ExtensionPoint, ifc.Plugin[]>;
  const scoreWeights = new Map<string, number>();
  for (const ep of EXTENSION_POINTS) {
    const specific = (plugins[ep]?.enabled ?? []).filter((p) => instances.has(p.name));
    const enabledNames: string[] = [];
    for (const p of specific) {
      const pl = instances.get(p.name)!;
      if (!IMPLEMENTS[ep](pl)) throw new Error(`plugin "${p.name}" does not extend ${POINT_TITLES[ep]} plugin`);
      if (enabledNames.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${POINT_TITLES[ep]}"`);
      enabledNames.push(p.name);
      if (ep === 'score') scoreWeights.set(p.name, p.weight || 1);
    }
    const disabled = new Set((plugins[ep]?.disabled ?? []).map((d) => d.name));
    const overrides = new Set<string>();
    const fromMultiPoint: string[] = [];
    for (const p of plugins.multiPoint?.enabled ?? []) {
      const pl = instances.get(p.name);
      if (!pl || !IMPLEMENTS[ep](pl)) continue;
      if (disabled.has(p.name) || disabled.has('*')) continue;
      if (enabledNames.includes(p.name)) { overrides.add(p.name); continue; }
      if (fromMultiPoint.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${POINT_TITLES[ep]}"`);
      if (ep === 'score') scoreWeights.set(p.name, p.weight || 1);
      fromMultiPoint.push(p.name);
    }
    // Upstream order: explicit overrides of MultiPoint plugins, then MultiPoint, then the rest.
    const order = [
      ...enabledNames.filter((n) => overrides.has(n)),
      ...fromMultiPoint,
      ...enabledNames.filter((n) => !overrides.has(n)),
    ];
    byPoint[ep] = order.map((n) => instances.get(n)!);
  }
  if (byPoint.queueSort.length !== 1) throw new Error(`one queue sort plugin required for profile, got ${byPoint.queueSort.length}`);
  if (byPoint.bind.length === 0) throw new Error('at least one bind plugin is needed');
  return { byPoint, scoreWeights, instances };
}

/** True if `name` appears only via MultiPoint defaults (so a missing implementation is tolerated). */
function isDefaultOnly(plugins: Plugins, name: string): boolean {
  return !EXTENSION_POINTS.some((ep) => (plugins[ep]?.enabled ?? []).some((p) => p.name === name));
}
