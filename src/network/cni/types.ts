// CNI wire types (spec 1.0.0): network configurations as the runtime reads them, the result a
// plugin prints on success and the error object it prints on failure. Shapes follow the spec's
// JSON field names; unknown fields are kept (plugins have their own keys), so configs are plain
// JSON objects typed only where the executor reads them.

/** The CNI spec version this executor speaks and injects into every plugin config. */
export const CNI_VERSION = '1.0.0';

/** One plugin's configuration inside a list (or a single `.conf` file). */
export interface PluginConf {
  type: string;
  /** Which runtime capability arguments the plugin accepts (`portMappings`, …); removed before the plugin sees it. */
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

/** A network configuration list (`.conflist`), or a single `.conf` converted to a list of one. */
export interface NetConfList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: PluginConf[];
}

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIPConfig {
  /** CIDR notation, e.g. `10.42.0.5/24`. */
  address: string;
  gateway?: string;
  /** Index into `interfaces`. */
  interface?: number;
}

export interface CniRoute {
  dst: string;
  gw?: string;
}

export interface CniDNS {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

/** A plugin's success result (spec 1.0.0 "Success"). */
export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIPConfig[];
  routes?: CniRoute[];
  dns?: CniDNS;
  [key: string]: unknown;
}

/** What a VERSION call reports. */
export interface CniVersionInfo {
  cniVersion: string;
  supportedVersions: string[];
}

/** Well-known error codes of the spec (0–99 are reserved for it; plugins use 100+). */
export const CNI_ERROR_CODES = {
  incompatibleVersion: 1,
  unsupportedField: 2,
  unknownContainer: 3,
  invalidEnvironment: 4,
  ioFailure: 5,
  decodeFailure: 6,
  invalidNetworkConfig: 7,
  tryAgainLater: 11,
} as const;

/**
 * A plugin failed: its error object (`code`, `msg`, `details`) when it printed one, otherwise a
 * code of 0 with the exit status and stderr in the message. `plugin` names which one, as libcni's
 * "plugin type=… failed (add)" does.
 */
export class CniError extends Error {
  constructor(
    /** The spec or plugin error code; 0 when the plugin printed no error object. */
    readonly code: number,
    /** The plugin's `msg`. */
    readonly msg: string,
    readonly details: string | undefined,
    /** `type="bridge" name="capstan"` style description of the failing plugin; empty when not from a plugin run. */
    readonly plugin: string,
    /** ADD, DEL, CHECK or VERSION. */
    readonly command: string,
  ) {
    super(`${plugin ? `plugin ${plugin} failed (${command.toLowerCase()}): ` : ''}${msg}${details ? `; ${details}` : ''}${code ? ` (code ${code})` : ''}`);
    this.name = 'CniError';
  }
}

/** The arguments of one invocation besides the network configuration (libcni's RuntimeConf). */
export interface RuntimeConf {
  containerId: string;
  netns: string;
  ifName: string;
  /** CNI_ARGS pairs, joined as `K=V;K2=V2`. */
  args?: [string, string][];
  /** Capability arguments (`portMappings`, …), passed in `runtimeConfig` to plugins that declare them. */
  capabilityArgs?: Record<string, unknown>;
}
