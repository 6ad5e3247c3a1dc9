// The objects a pod's spec refers to (ConfigMaps, Secrets, Services, claims and volumes), read
// through one small port so that env and volume code is tested with in-memory data. The kubelet
// wires `ClientObjectSource` (API reads, Services from an informer when one is given); tests use
// `MemoryObjectSource`.
//
// Contract: `get*` resolve `undefined` when the object does not exist and throw for any other
// failure (the caller turns that into a retryable error). Returned objects are shared: never
// change them.
import { configMapsRef, secretsRef, servicesRef, persistentVolumesRef, persistentVolumeClaimsRef } from '../../api/light.js';
import type { ConfigMap, Secret, Service, PersistentVolume, KubeObject } from '../../api/index.js';
import type { Client, Indexer } from '../../client/index.js';

/** The fields of a PersistentVolumeClaim the kubelet reads. */
export interface ClaimObject extends KubeObject {
  spec?: { volumeName?: string };
  status?: { phase?: string };
}

export interface ObjectSource {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  /** Services of one namespace (the env of a pod needs its own and `default`'s). */
  listServices(namespace: string): Promise<Service[]>;
  getPersistentVolumeClaim(namespace: string, name: string): Promise<ClaimObject | undefined>;
  getPersistentVolume(name: string): Promise<PersistentVolume | undefined>;
}

/** In-memory objects, keyed as the API would find them; tests change them with `put`/`remove`. */
export class MemoryObjectSource implements ObjectSource {
  private readonly objects = new Map<string, KubeObject>();

  constructor(objects: KubeObject[] = []) {
    for (const o of objects) this.put(o);
  }

  /** Adds or replaces an object (by kind, namespace and name). */
  put(obj: KubeObject): void {
    this.objects.set(MemoryObjectSource.key(obj.kind ?? '', obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''), obj);
  }

  remove(kind: string, namespace: string, name: string): void {
    this.objects.delete(MemoryObjectSource.key(kind, namespace, name));
  }

  private static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  private find<T>(kind: string, namespace: string, name: string): Promise<T | undefined> {
    return Promise.resolve(this.objects.get(MemoryObjectSource.key(kind, namespace, name)) as T | undefined);
  }

  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> { return this.find('ConfigMap', namespace, name); }
  getSecret(namespace: string, name: string): Promise<Secret | undefined> { return this.find('Secret', namespace, name); }
  getPersistentVolumeClaim(namespace: string, name: string): Promise<ClaimObject | undefined> { return this.find('PersistentVolumeClaim', namespace, name); }
  getPersistentVolume(name: string): Promise<PersistentVolume | undefined> { return this.find('PersistentVolume', '', name); }

  listServices(namespace: string): Promise<Service[]> {
    return Promise.resolve([...this.objects.values()].filter((o) => o.kind === 'Service' && o.metadata?.namespace === namespace) as Service[]);
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 404;
}

async function getOrUndefined<T>(read: () => Promise<KubeObject>): Promise<T | undefined> {
  try {
    return await read() as T;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface ClientObjectSourceOptions {
  /** A synced Services informer's store (all namespaces); without it Services are listed per call. */
  services?: Indexer;
}

/** Reads through the API client (upstream's kubelet reads ConfigMaps and Secrets from the API too). */
export class ClientObjectSource implements ObjectSource {
  constructor(private readonly client: Client, private readonly opts: ClientObjectSourceOptions = {}) {}

  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return getOrUndefined(() => this.client.resource(configMapsRef).get(namespace, name));
  }

  getSecret(namespace: string, name: string): Promise<Secret | undefined> {
    return getOrUndefined(() => this.client.resource(secretsRef).get(namespace, name));
  }

  getPersistentVolumeClaim(namespace: string, name: string): Promise<ClaimObject | undefined> {
    return getOrUndefined(() => this.client.resource(persistentVolumeClaimsRef).get(namespace, name));
  }

  getPersistentVolume(name: string): Promise<PersistentVolume | undefined> {
    return getOrUndefined(() => this.client.resource(persistentVolumesRef).get('', name));
  }

  async listServices(namespace: string): Promise<Service[]> {
    if (this.opts.services) return this.opts.services.list().filter((s) => s.metadata?.namespace === namespace) as Service[];
    return (await this.client.resource(servicesRef).listAll(namespace)).items as Service[];
  }
}
