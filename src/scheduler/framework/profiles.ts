// Reading a KubeSchedulerConfiguration document (YAML or JSON text, already read by the caller)
// and building one Framework per profile. Validation messages follow upstream's field paths.
import { parse } from 'yaml';
import type { Pod } from '../../api/index.js';
import { DEFAULT_SCHEDULER_NAME, defaultConfiguration, type KubeSchedulerConfiguration } from './config.js';
import { Framework, type FrameworkOptions } from './framework.js';
import type { Registry } from './registry.js';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

/** Thrown for a configuration upstream would reject; `message` lists every problem. */
export class SchedulerConfigError extends Error {
  override name = 'SchedulerConfigError';
}

/** Upstream ValidateKubeSchedulerConfiguration (the parts this scheduler implements). */
export function validateSchedulerConfiguration(cfg: KubeSchedulerConfiguration): string[] {
  const errs: string[] = [];
  const pct = (path: string, v: number | undefined): void => {
    if (v !== undefined && (v < 0 || v > 100 || !Number.isInteger(v))) errs.push(`${path}: Invalid value: ${v}: not in valid range [0-100]`);
  };
  pct('percentageOfNodesToScore', cfg.percentageOfNodesToScore);
  const names = new Set<string>();
  (cfg.profiles ?? []).forEach((p, i) => {
    const name = p.schedulerName || DEFAULT_SCHEDULER_NAME;
    if (names.has(name)) errs.push(`profiles[${i}].schedulerName: Duplicate value: "${name}"`);
    names.add(name);
    pct(`profiles[${i}].percentageOfNodesToScore`, p.percentageOfNodesToScore);
  });
  return errs;
}

/** Parses and defaults a configuration document; throws SchedulerConfigError. */
export function parseSchedulerConfiguration(text: string): KubeSchedulerConfiguration & { profiles: NonNullable<KubeSchedulerConfiguration['profiles']> } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new SchedulerConfigError(`couldn't decode as KubeSchedulerConfiguration: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new SchedulerConfigError("couldn't decode as KubeSchedulerConfiguration: not an object");
  const cfg = doc as KubeSchedulerConfiguration;
  if (cfg.kind !== 'KubeSchedulerConfiguration' || cfg.apiVersion !== SCHEDULER_CONFIG_API_VERSION) {
    throw new SchedulerConfigError(`no kind "${cfg.kind ?? ''}" is registered for version "${cfg.apiVersion ?? ''}"`);
  }
  const errs = validateSchedulerConfiguration(cfg);
  if (errs.length) throw new SchedulerConfigError(errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
  return defaultConfiguration(cfg);
}

/** One Framework per profile, keyed by schedulerName (upstream profile.NewMap). */
export function buildProfiles(registry: Registry, cfg: KubeSchedulerConfiguration, opts: FrameworkOptions = {}): Map<string, Framework> {
  const full = defaultConfiguration(cfg);
  const errs = validateSchedulerConfiguration(full);
  if (errs.length) throw new SchedulerConfigError(errs.join(', '));
  const out = new Map<string, Framework>();
  for (const p of full.profiles) {
    out.set(p.schedulerName!, new Framework(registry, p, { percentageOfNodesToScore: full.percentageOfNodesToScore, ...opts }));
  }
  return out;
}

/** The framework responsible for `pod` (spec.schedulerName, default-scheduler when unset), if any. */
export function frameworkForPod(profiles: ReadonlyMap<string, Framework>, pod: Pod): Framework | undefined {
  return profiles.get(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
}
