// Which namespaced resources a namespace's content may include (upstream
// discovery.ServerPreferredNamespacedResources filtered to the verbs the deleter needs): the
// preferred version of every group, resources that can be listed and deleted. A group whose
// discovery fails is reported and skipped; the rest are still returned.
import type { Client, ResourceRef } from '../../client/index.js';

export interface DeletableResource extends ResourceRef {
  /** Whether `deletecollection` is served (else items are deleted one by one). */
  deleteCollection: boolean;
}

export interface DiscoveryResult {
  resources: DeletableResource[];
  /** `groupVersion: error` for each group version that could not be discovered. */
  failures: string[];
}

interface APIResourceList { groupVersion?: string; resources?: { name: string; namespaced: boolean; kind: string; verbs?: string[] }[] }
interface APIGroupList { groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[] }

/** The deletable namespaced resources of one APIResourceList (pure; tests). */
export function deletableResources(group: string, version: string, list: APIResourceList): DeletableResource[] {
  const out: DeletableResource[] = [];
  for (const r of list.resources ?? []) {
    if (!r.namespaced || r.name.includes('/')) continue;
    const verbs = r.verbs ?? [];
    if (!verbs.includes('list') || !verbs.includes('delete')) continue;
    out.push({ group, version, plural: r.name, namespaced: true, kind: r.kind, deleteCollection: verbs.includes('deletecollection') });
  }
  return out;
}

export async function discoverNamespacedResources(client: Client): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { resources: [], failures: [] };
  const versions: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  try {
    const groups = await client.requestJSON<APIGroupList>('GET', '/apis');
    for (const g of groups.groups ?? []) {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (version) versions.push({ group: g.name, version });
    }
  } catch (e) {
    result.failures.push(`apis: ${(e as Error).message}`);
  }
  const lists = await Promise.all(versions.map(async ({ group, version }) => {
    const gv = group ? `${group}/${version}` : version;
    try {
      const list = await client.requestJSON<APIResourceList>('GET', group ? `/apis/${gv}` : `/api/${gv}`);
      return deletableResources(group, version, list);
    } catch (e) {
      result.failures.push(`${gv}: ${(e as Error).message}`);
      return [];
    }
  }));
  result.resources = lists.flat();
  result.failures.sort();
  return result;
}
