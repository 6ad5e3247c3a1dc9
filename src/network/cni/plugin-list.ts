// The CNI executor for network configuration lists (libcni's AddNetworkList / DelNetworkList /
// CheckNetworkList): every plugin of a list runs in order for ADD, each given the previous one's
// result; in reverse for DEL, each given the cached ADD result. The per-plugin configuration is a
// pure function of the list, the plugin and the invocation (`pluginInvocationConfig`).
//
// Contracts:
// - `add` caches the final result only after every plugin succeeded. It does not undo a partial
//   ADD: the caller runs `del` for that (as the kubelet's runtime does on a failed sandbox).
// - `del` is idempotent: with no cached result it still runs every plugin's DEL (plugins must
//   tolerate that), and removes the cache entry only after all of them succeeded, so a failed DEL
//   can be retried with the same prevResult. With a cached entry, the cached list, CNI_ARGS and
//   capability arguments are used, so a DEL after the configuration changed undoes what ADD did.
// - Calls for one attachment (container id + interface) must not overlap; the caller serializes.
import { findPlugin, execPlugin, execPluginWithResult, pluginVersionInfo, DEFAULT_CNI_BIN_DIRS } from './exec-plugin.js';
import { ResultCache } from './result-cache.js';
import { validateInvocation, versionAtLeast } from './validate.js';
import { CniError, type CniResult, type CniVersionInfo, type NetConfList, type PluginConf, type RuntimeConf } from './types.js';

/**
 * The JSON one plugin of a list receives on stdin: its own keys, then the list's `name` and
 * `cniVersion`, `prevResult` when there is one, and `runtimeConfig` holding the capability
 * arguments the plugin declares in `capabilities` (which is removed).
 */
export function pluginInvocationConfig(list: Pick<NetConfList, 'name' | 'cniVersion'>, plugin: PluginConf, prevResult: CniResult | undefined, rt: RuntimeConf): Record<string, unknown> {
  const { capabilities, ...rest } = plugin;
  const config: Record<string, unknown> = { ...rest, name: list.name, cniVersion: list.cniVersion };
  if (prevResult) config.prevResult = prevResult;
  else delete config.prevResult;
  const runtimeConfig: Record<string, unknown> = {};
  for (const [capability, supported] of Object.entries(capabilities ?? {})) {
    if (supported && rt.capabilityArgs && capability in rt.capabilityArgs) runtimeConfig[capability] = rt.capabilityArgs[capability];
  }
  if (Object.keys(runtimeConfig).length > 0) config.runtimeConfig = runtimeConfig;
  else delete config.runtimeConfig;
  return config;
}

/** `type="bridge" name="capstan"`, as libcni describes a failing plugin. */
export function pluginDescription(list: Pick<NetConfList, 'name'>, plugin: PluginConf): string {
  return `type=${JSON.stringify(plugin.type)}${list.name ? ` name=${JSON.stringify(list.name)}` : ''}`;
}

export interface CniExecutorOptions {
  /** Plugin bin dirs, searched in order (default `/usr/lib/cni`). */
  binDirs?: readonly string[];
  /** Where ADD results are cached (`<dataDir>/agent/cni` for the agent). */
  cacheDir: string;
  /** Per-plugin timeout. */
  timeoutMs?: number;
}

export class CniExecutor {
  readonly binDirs: readonly string[];
  readonly cache: ResultCache;
  private readonly timeoutMs: number | undefined;

  constructor(options: CniExecutorOptions) {
    this.binDirs = options.binDirs?.length ? [...options.binDirs] : DEFAULT_CNI_BIN_DIRS;
    this.cache = new ResultCache(options.cacheDir);
    this.timeoutMs = options.timeoutMs;
  }

  async add(list: NetConfList, rt: RuntimeConf): Promise<CniResult> {
    validateInvocation('ADD', list.name, rt.containerId, rt.ifName);
    let result: CniResult | undefined;
    for (const plugin of list.plugins) {
      const description = pluginDescription(list, plugin);
      const pluginPath = this.find(plugin, 'ADD', description);
      result = await execPluginWithResult(pluginPath, pluginInvocationConfig(list, plugin, result, rt), rt, { binDirs: this.binDirs, description, timeoutMs: this.timeoutMs });
    }
    if (!result) throw new CniError(0, `network ${JSON.stringify(list.name)} has no plugins`, undefined, '', 'ADD');
    await this.cache.write(list, rt, result);
    return result;
  }

  async del(list: NetConfList, rt: RuntimeConf): Promise<void> {
    validateInvocation('DEL', list.name, rt.containerId, rt.ifName);
    // A cached result is handed to DEL from spec 0.4.0 on (libcni); older lists get none.
    const cached = versionAtLeast(list.cniVersion, '0.4.0') ? await this.cache.read(list.name, rt.containerId, rt.ifName) : undefined;
    const effectiveList = cached?.list ?? list;
    const effectiveRt: RuntimeConf = cached
      ? { ...rt, args: cached.attachment.cniArgs ?? rt.args, capabilityArgs: cached.attachment.capabilityArgs ?? rt.capabilityArgs }
      : rt;
    const prevResult = cached?.attachment.result;
    for (let i = effectiveList.plugins.length - 1; i >= 0; i--) {
      const plugin = effectiveList.plugins[i]!;
      const description = pluginDescription(effectiveList, plugin);
      const pluginPath = this.find(plugin, 'DEL', description);
      await execPlugin(pluginPath, 'DEL', pluginInvocationConfig(effectiveList, plugin, prevResult, effectiveRt), effectiveRt, { binDirs: this.binDirs, description, timeoutMs: this.timeoutMs });
    }
    await this.cache.remove(list.name, rt.containerId, rt.ifName);
  }

  /** CHECK of every plugin with the cached ADD result; throws when there is none or a plugin reports a problem. */
  async check(list: NetConfList, rt: RuntimeConf): Promise<void> {
    validateInvocation('CHECK', list.name, rt.containerId, rt.ifName);
    if (!versionAtLeast(list.cniVersion, '0.4.0')) {
      throw new CniError(0, `configuration version ${JSON.stringify(list.cniVersion)} does not support the CHECK command`, undefined, '', 'CHECK');
    }
    if (list.disableCheck) return;
    const cached = await this.cache.read(list.name, rt.containerId, rt.ifName);
    if (!cached?.attachment.result) {
      throw new CniError(0, `no cached result for network ${JSON.stringify(list.name)} container ${JSON.stringify(rt.containerId)} interface ${JSON.stringify(rt.ifName)}`, undefined, '', 'CHECK');
    }
    for (const plugin of list.plugins) {
      const description = pluginDescription(list, plugin);
      const pluginPath = this.find(plugin, 'CHECK', description);
      await execPlugin(pluginPath, 'CHECK', pluginInvocationConfig(list, plugin, cached.attachment.result, rt), rt, { binDirs: this.binDirs, description, timeoutMs: this.timeoutMs });
    }
  }

  /** The plugin's supported spec versions (CNI_COMMAND=VERSION). */
  async version(type: string): Promise<CniVersionInfo> {
    return pluginVersionInfo(this.find({ type }, 'VERSION', `type=${JSON.stringify(type)}`), { binDirs: this.binDirs, timeoutMs: this.timeoutMs });
  }

  /** Every plugin of the list exists and supports the list's cniVersion (libcni's ValidateNetworkList). */
  async validate(list: NetConfList): Promise<void> {
    for (const plugin of list.plugins) {
      const info = await this.version(plugin.type);
      if (!info.supportedVersions.includes(list.cniVersion)) {
        throw new CniError(1, `plugin ${plugin.type} does not support config version ${JSON.stringify(list.cniVersion)}`, undefined, pluginDescription(list, plugin), 'VERSION');
      }
    }
  }

  private find(plugin: PluginConf, command: string, description: string): string {
    try {
      return findPlugin(plugin.type, this.binDirs);
    } catch (error) {
      if (error instanceof CniError) throw new CniError(error.code, error.msg, error.details, description, command);
      throw error;
    }
  }
}
