// Lookup of served resource types by path coordinates and by kind.
import type { ResourceType } from '../../api/index.js';
import { resourcePrefix } from './keys.js';

export interface ServedResource {
  rt: ResourceType;
  /** Storage key prefix (ends with '/'). */
  prefix: string;
}

export class Catalogue {
  private readonly byPath = new Map<string, ServedResource>();
  readonly all: ServedResource[] = [];
  /** Group → versions in preference order. */
  readonly groups = new Map<string, string[]>();

  constructor(resources: readonly ResourceType[]) {
    const usedPrefixes = new Map<string, ResourceType>();
    for (const rt of resources) {
      let prefix = resourcePrefix(rt);
      // Two versions of one resource (autoscaling/v1 and v2 HPAs) are stored apart until
      // conversion between versions exists.
      const clash = usedPrefixes.get(prefix);
      if (clash && clash.version !== rt.version) prefix = `${prefix.slice(0, -1)}.${rt.version}/`;
      usedPrefixes.set(prefix, rt);
      const served = { rt, prefix };
      this.all.push(served);
      this.byPath.set(`${rt.group}/${rt.version}/${rt.plural}`, served);
      const versions = this.groups.get(rt.group) ?? [];
      if (!versions.includes(rt.version)) versions.push(rt.version);
      this.groups.set(rt.group, versions);
    }
    for (const versions of this.groups.values()) versions.sort(compareKubeVersions);
  }

  lookup(group: string, version: string, plural: string): ServedResource | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  versionServed(group: string, version: string): boolean {
    return this.groups.get(group)?.includes(version) ?? false;
  }

  inGroupVersion(group: string, version: string): ServedResource[] {
    return this.all.filter((s) => s.rt.group === group && s.rt.version === version);
  }
}

/** Upstream's version priority: GA > beta > alpha, then higher numbers first (v2 before v1). */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a.localeCompare(b);
}
