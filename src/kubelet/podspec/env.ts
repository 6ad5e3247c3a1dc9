// A container's environment, as upstream's kubelet makeEnvironmentVariables: envFrom first (later
// sources win), then env in declaration order (a `value` is `$(VAR)`-expanded against the
// variables so far and the service links; `valueFrom` is resolved), then the service-link
// variables the container did not set. Called by containerConfigFor on every container start.
import type { Pod, ConfigMap, Secret } from '../../api/index.js';
import type { Container } from './spec-types.js';
import { expand, mappingFuncFor } from './expansion.js';
import { serviceEnvMap } from './service-env.js';
import { podFieldValue, containerResourceValue, withDefaultLimits } from './field-path.js';
import { CreateContainerConfigError } from './errors.js';
import type { NodeContext } from './node-context.js';
import type { ObjectSource } from './object-source.js';

export interface EnvVar { name: string; value: string }

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Upstream IsEnvVarName (C identifiers plus `-` and `.`, not `.` nor starting with `..`). */
export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name) && name !== '.' && !name.startsWith('..');
}

function decodeSecretValue(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export interface EnvInputs {
  objects: ObjectSource;
  node: NodeContext;
  /** The pod's IPs (from the sandbox), preferred family first. */
  podIPs: string[];
}

/**
 * Resolves the final environment of `container`. Throws CreateContainerConfigError with
 * upstream's message for a missing ConfigMap/Secret or key that is not optional.
 */
export async function makeEnvironmentVariables(pod: Pod, container: Container, inputs: EnvInputs): Promise<EnvVar[]> {
  const ns = pod.metadata?.namespace ?? '';
  const { objects, node } = inputs;
  const enableServiceLinks = pod.spec?.enableServiceLinks ?? true;
  const nsList = [ns, ...(ns === 'default' ? [] : ['default'])];
  let serviceEnv: Map<string, string>;
  try {
    serviceEnv = serviceEnvMap((await Promise.all(nsList.map((n) => objects.listServices(n)))).flat(), ns, enableServiceLinks);
  } catch {
    throw new CreateContainerConfigError('failed to list services when setting up env vars');
  }

  const configMapCache = new Map<string, ConfigMap | undefined>();
  const secretCache = new Map<string, Secret | undefined>();
  const configMap = async (name: string): Promise<ConfigMap | undefined> => {
    if (!configMapCache.has(name)) configMapCache.set(name, await objects.getConfigMap(ns, name));
    return configMapCache.get(name);
  };
  const secret = async (name: string): Promise<Secret | undefined> => {
    if (!secretCache.has(name)) secretCache.set(name, await objects.getSecret(ns, name));
    return secretCache.get(name);
  };

  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: [string, string][];
    let what: string;
    let name: string;
    if (from.configMapRef) {
      name = from.configMapRef.name ?? '';
      what = 'configMap';
      const cm = await configMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new CreateContainerConfigError(`configmap "${name}" not found`);
      }
      entries = Object.entries(cm.data ?? {});
    } else if (from.secretRef) {
      name = from.secretRef.name ?? '';
      what = 'secret';
      const s = await secret(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new CreateContainerConfigError(`secret "${name}" not found`);
      }
      entries = Object.entries(s.data ?? {}).map(([k, v]) => [k, decodeSecretValue(v)]);
    } else {
      continue;
    }
    const invalid: string[] = [];
    for (const [key, value] of entries) {
      const k = prefix + key;
      if (!isEnvVarName(k)) { invalid.push(k); continue; }
      env.set(k, value);
    }
    if (invalid.length > 0) {
      invalid.sort();
      node.recordEvent?.(pod, 'Warning', 'InvalidEnvironmentVariableNames',
        `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${ns}/${name} were skipped since they are considered invalid environment variable names.`);
    }
  }

  const mapping = mappingFuncFor(env, serviceEnv);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    const src = e.valueFrom;
    if (value !== '') {
      value = expand(value, mapping);
    } else if (src?.fieldRef) {
      try {
        value = podFieldValue(pod, src.fieldRef.fieldPath ?? '', node.hostIPs, inputs.podIPs);
      } catch (err) {
        throw new CreateContainerConfigError((err as Error).message);
      }
    } else if (src?.resourceFieldRef) {
      try {
        value = containerResourceValue(src.resourceFieldRef.resource ?? '', src.resourceFieldRef.divisor, withDefaultLimits(container, node.allocatable));
      } catch (err) {
        throw new CreateContainerConfigError((err as Error).message);
      }
    } else if (src?.configMapKeyRef) {
      const { name = '', key = '', optional } = src.configMapKeyRef;
      const cm = await configMap(name);
      if (!cm) {
        if (optional) continue;
        throw new CreateContainerConfigError(`configmap "${name}" not found`);
      }
      const v = cm.data?.[key];
      if (v === undefined) {
        if (optional) continue;
        throw new CreateContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
      }
      value = v;
    } else if (src?.secretKeyRef) {
      const { name = '', key = '', optional } = src.secretKeyRef;
      const s = await secret(name);
      if (!s) {
        if (optional) continue;
        throw new CreateContainerConfigError(`secret "${name}" not found`);
      }
      const v = s.data?.[key];
      if (v === undefined) {
        if (optional) continue;
        throw new CreateContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
      }
      value = decodeSecretValue(v);
    }
    env.set(e.name ?? '', value);
  }

  const result: EnvVar[] = [...env].map(([name, value]) => ({ name, value }));
  for (const [name, value] of serviceEnv) {
    if (!env.has(name)) result.push({ name, value });
  }
  return result;
}

/** Upstream ExpandContainerCommandAndArgs: `$(VAR)` in command and args from the final env. */
export function expandCommandAndArgs(container: Container, env: EnvVar[]): { command?: string[]; args?: string[] } {
  const mapping = mappingFuncFor(new Map(env.map((e) => [e.name, e.value])));
  return {
    command: container.command?.length ? container.command.map((c: string) => expand(c, mapping)) : undefined,
    args: container.args?.length ? container.args.map((a: string) => expand(a, mapping)) : undefined,
  };
}
