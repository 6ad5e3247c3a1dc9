// The cluster objects some plugins consult besides pods and nodes (upstream's informer-backed
// listers in the framework handle): Services, ReplicationControllers, ReplicaSets and
// StatefulSets for the default spreading selector of PodTopologySpread, and Namespaces for
// namespaceSelector terms of InterPodAffinity. Each informer keeps only what those lookups read.
//
// Contract: lookups read informer caches synchronously (safe inside a scheduling cycle). The
// scheduler does not wait for these caches: before they sync, or for a resource the server does
// not serve (skipped after one 404), lookups see fewer objects, which only weakens default
// spreading and namespaceSelector matching.
import { andLabelSelectors, isStatusError, labelSelectorFromObject, labelSelectorFromSet, matchesLabels, type KubeObject, type LabelSelectorObject, type ParsedLabelSelector, type Pod } from '../api/index.js';
import { Informer, type Client, type InformerOptions, type ResourceClient } from '../client/index.js';

const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const REPLICATION_CONTROLLERS = { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true, kind: 'ReplicationController' };
const REPLICA_SETS = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true, kind: 'ReplicaSet' };
const STATEFUL_SETS = { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true, kind: 'StatefulSet' };
const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' };

type WithSelector = KubeObject & { spec?: { selector?: unknown } };

/** Keeps metadata and spec.selector only. */
function selectorOnly(obj: KubeObject): KubeObject {
  const o = obj as WithSelector;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, spec: { selector: o.spec?.selector } } as KubeObject;
}

/** Keeps metadata only (namespace labels). */
function metadataOnly(obj: KubeObject): KubeObject {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata } as KubeObject;
}

/**
 * Upstream helper.DefaultSelector, pure over lookups: the union of the selectors of the Services
 * selecting the pod, ANDed with the selector of its controlling ReplicationController,
 * ReplicaSet or StatefulSet. Services with no selector select nothing.
 */
export function defaultSelector(pod: Pod, lookup: {
  services(namespace: string): readonly KubeObject[];
  owner(kind: string, namespace: string, name: string): KubeObject | undefined;
}): ParsedLabelSelector {
  const ns = pod.metadata?.namespace ?? '';
  const labels = pod.metadata?.labels ?? {};
  const set: Record<string, string> = {};
  for (const svc of lookup.services(ns)) {
    const sel = (svc as WithSelector).spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) continue;
    if (matchesLabels(labelSelectorFromSet(sel), labels)) Object.assign(set, sel);
  }
  let selector = labelSelectorFromSet(set);
  const ref = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (!ref?.kind || !ref.name) return selector;
  const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0] : '';
  const kind = ref.kind;
  if (!((group === '' && kind === 'ReplicationController') || (group === 'apps' && (kind === 'ReplicaSet' || kind === 'StatefulSet')))) return selector;
  const owner = lookup.owner(kind, ns, ref.name) as WithSelector | undefined;
  if (!owner) return selector;
  if (kind === 'ReplicationController') {
    Object.assign(set, (owner.spec?.selector as Record<string, string> | undefined) ?? {});
    return labelSelectorFromSet(set);
  }
  try {
    selector = andLabelSelectors(selector, labelSelectorFromObject(owner.spec?.selector as LabelSelectorObject | undefined));
  } catch {
    // An invalid owner selector adds nothing (upstream ignores the conversion error).
  }
  return selector;
}

export class ClusterListers {
  private readonly services: Informer;
  private readonly owners: Map<string, Informer>;
  private readonly namespaces: Informer;
  private readonly all: { informer: Informer; resource: ResourceClient }[] = [];

  constructor(client: Client, opts: Pick<InformerOptions, 'onError' | 'backoff'> = {}) {
    const make = (r: Parameters<Client['resource']>[0], extra: InformerOptions) => {
      const resource = client.resource(r);
      const informer = new Informer(resource, { ...opts, ...extra });
      this.all.push({ informer, resource });
      return informer;
    };
    this.services = make(SERVICES, { transform: selectorOnly, indexers: { namespace: (o: KubeObject) => [o.metadata?.namespace ?? ''] } });
    this.owners = new Map([
      ['ReplicationController', make(REPLICATION_CONTROLLERS, { transform: selectorOnly })],
      ['ReplicaSet', make(REPLICA_SETS, { transform: selectorOnly })],
      ['StatefulSet', make(STATEFUL_SETS, { transform: selectorOnly })],
    ]);
    this.namespaces = make(NAMESPACES, { transform: metadataOnly });
  }

  /**
   * Runs the informers until `signal` aborts; resolves when they have stopped. A resource the
   * server answers 404 for is left out.
   */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.all.map(async ({ informer, resource }) => {
      try {
        await resource.list('', { limit: 1 });
      } catch (e) {
        if (isStatusError(e, 'NotFound')) return;
      }
      if (!signal.aborted) await informer.start(signal);
    }));
  }

  /** PodTopologySpread's defaultSelector. */
  readonly defaultSelector = (pod: Pod): ParsedLabelSelector => defaultSelector(pod, {
    services: (ns) => this.services.store.byIndex('namespace', ns),
    owner: (kind, ns, name) => this.owners.get(kind)?.store.getByName(ns, name),
  });

  /** InterPodAffinity's namespaceLabels. */
  readonly namespaceLabels = (namespace: string): Readonly<Record<string, string>> | undefined =>
    this.namespaces.store.getByName('', namespace)?.metadata?.labels;
}
