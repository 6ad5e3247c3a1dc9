// Discovery documents: legacy (/api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>) and aggregated
// (apidiscovery.k8s.io v2 and v2beta1), all derived from the catalogue and computed once.
import { ALL_VERBS, type ResourceType } from '../../api/index.js';
import type { Catalogue } from '../registry/catalogue.js';

export { SERVER_VERSION, type ServerVersion } from '../version.js';

interface APIResource {
  name: string; singularName: string; namespaced: boolean; group?: string; version?: string; kind: string;
  verbs: string[]; shortNames?: string[]; categories?: string[];
}

function resourceEntries(rt: ResourceType): APIResource[] {
  const main: APIResource = {
    name: rt.plural, singularName: rt.singular, namespaced: rt.namespaced, kind: rt.kind,
    verbs: [...(rt.verbs ?? (rt.createOnly ? ['create'] : ALL_VERBS))],
  };
  if (rt.shortNames?.length) main.shortNames = [...rt.shortNames];
  if (rt.categories?.length) main.categories = [...rt.categories];
  const subs = (rt.subresources ?? []).map((s): APIResource => {
    const e: APIResource = { name: `${rt.plural}/${s.name}`, singularName: '', namespaced: rt.namespaced, kind: s.kind, verbs: [...s.verbs] };
    if (s.group !== undefined) e.group = s.group;
    if (s.version !== undefined) e.version = s.version;
    return e;
  });
  return [main, ...subs];
}

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export class Discovery {
  readonly apiVersions: unknown;
  readonly apiGroupList: unknown;
  private readonly resourceLists = new Map<string, string>();
  private readonly groups = new Map<string, string>();
  private readonly aggregated = new Map<string, string>();

  constructor(catalogue: Catalogue, serverAddress: string) {
    this.apiVersions = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
    const groupObjs: unknown[] = [];
    for (const [group, versions] of catalogue.groups) {
      for (const v of versions) {
        const gv = groupVersion(group, v);
        const resources = catalogue.inGroupVersion(group, v).flatMap((s) => resourceEntries(s.rt));
        this.resourceLists.set(gv, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources }));
      }
      if (!group) continue;
      const g = {
        name: group,
        versions: versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
      };
      groupObjs.push(g);
      this.groups.set(group, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...g }));
    }
    this.apiGroupList = { kind: 'APIGroupList', apiVersion: 'v1', groups: groupObjs };
    for (const v of ['v2', 'v2beta1']) {
      this.aggregated.set(`api/${v}`, JSON.stringify(aggregatedList(catalogue, v, true)));
      this.aggregated.set(`apis/${v}`, JSON.stringify(aggregatedList(catalogue, v, false)));
    }
  }

  resourceList(group: string, version: string): string | undefined {
    return this.resourceLists.get(groupVersion(group, version));
  }

  group(name: string): string | undefined {
    return this.groups.get(name);
  }

  /** `which` is 'api' (core) or 'apis'; `version` 'v2' or 'v2beta1'. */
  aggregatedDocument(which: 'api' | 'apis', version: string): string {
    return this.aggregated.get(`${which}/${version}`)!;
  }
}

function aggregatedList(catalogue: Catalogue, version: string, core: boolean) {
  const items: unknown[] = [];
  for (const [group, versions] of catalogue.groups) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group, creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v,
        freshness: 'Current',
        resources: catalogue.inGroupVersion(group, v).map(({ rt }) => {
          const r: Record<string, unknown> = {
            resource: rt.plural,
            responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
            scope: rt.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: rt.singular,
            verbs: [...(rt.verbs ?? (rt.createOnly ? ['create'] : ALL_VERBS))],
          };
          if (rt.shortNames?.length) r.shortNames = [...rt.shortNames];
          if (rt.categories?.length) r.categories = [...rt.categories];
          if (rt.subresources?.length) {
            r.subresources = rt.subresources.map((s) => ({
              subresource: s.name,
              responseKind: { group: s.group ?? rt.group, version: s.version ?? rt.version, kind: s.kind },
              verbs: [...s.verbs],
            }));
          }
          return r;
        }),
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** Whether the Accept header asks for aggregated discovery; returns the version it wants. */
export function wantsAggregated(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('g=apidiscovery.k8s.io') || !p.includes('as=APIGroupDiscoveryList')) continue;
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}
