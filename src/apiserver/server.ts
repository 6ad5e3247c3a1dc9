// Assembles the API server from its parts and runs it: catalogue, watch cache, registry hooks,
// admission, authentication/authorization, discovery, OpenAPI and the HTTPS listener.
import type { AddressInfo } from 'node:net';
import type https from 'node:https';
import { RESOURCES, errors, type KubeObject, type PriorityClass, type ResourceType } from '../api/index.js';
import type { Store } from '../store/index.js';
import { AdmissionChain } from './admission/chain.js';
import { namespaceLifecycle } from './admission/namespace-lifecycle.js';
import { priorityAdmission, type PriorityClassLookup } from './admission/priority.js';
import { defaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { AuthenticatorChain, clientCertificateAuthenticator, tokenAuthenticator, type StaticToken } from './auth/authenticator.js';
import { AuthorizerChain, discoveryAuthorizer, mastersAuthorizer } from './auth/authorizer.js';
import { nodeAuthorizer } from './auth/node-authorizer.js';
import { nodeRestriction } from './admission/node-restriction.js';
import { joinRoutes, type NodeJoinConfig } from './join/node-credentials.js';
import { nodePasswordChecker } from './join/node-password.js';
import { Discovery, SERVER_VERSION } from './discovery/discovery.js';
import { ApiHandler } from './handler.js';
import { createHttpsServer, type RequestHandler, type TlsMaterial } from './http/https-server.js';
import { statusResponse } from './http/respond.js';
import type { ApiRequest, ApiResponse, UserInfo } from './http/types.js';
import { openApiDocuments } from './openapi-documents.js';
import { Catalogue } from './registry/catalogue.js';
import type { RegistryDeps, ResourceHooks } from './registry/context.js';
import { objectKey } from './registry/keys.js';
import { createLeaseManager } from './registry/leases.js';
import { namespaceHooks } from './resources/namespaces.js';
import { podHooks } from './resources/pods.js';
import { eventHooks } from './resources/events.js';
import { ServiceAllocator } from './resources/service-allocator.js';
import { recordServiceAllocations, serviceHooks } from './resources/services.js';
import { WatchCache } from './watchcache/watch-cache.js';
import { bootstrapCluster } from './bootstrap.js';
import type { KubeletClientConfig } from './streaming/kubelet-proxy.js';

export interface ApiServerConfig {
  store: Store;
  resources?: readonly ResourceType[];
  /** HTTPS listener; omit to serve only in-process (tests). */
  listen?: { tls: TlsMaterial; bindAddress: string; port: number };
  /** Bearer tokens accepted besides client certificates. */
  tokens?: StaticToken[];
  serviceCidr?: string;
  nodePortRange?: [number, number];
  /** Address clients use to reach this server (discovery, the `kubernetes` Endpoints). */
  advertiseAddress?: string;
  advertisePort?: number;
  now?: () => Date;
  bookmarkIntervalMs?: number;
  /** How long events are kept (upstream's --event-ttl); default 1 h. */
  eventTTLSeconds?: number;
  /** Serve the node join endpoints (GET /cacerts, POST /v1-capstan/node-certificates). */
  join?: NodeJoinConfig;
  /** The credential for kubelets (pods/log, exec, attach, portforward); without it those answer 503. */
  kubeletClient?: KubeletClientConfig;
}

/** The identity in-process roles use on the loopback transport. */
export const LOOPBACK_USER: UserInfo = { name: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };

/** PriorityClasses for Priority admission: the watch cache, and the store for a name it lacks yet. */
function priorityClassLookup(cache: WatchCache, store: Store, pcs: { prefix: string; rt: ResourceType } | undefined): PriorityClassLookup {
  return {
    async get(name) {
      if (!pcs) return undefined;
      const cached = cache.resource(pcs.prefix).get(objectKey(pcs.rt, '', name));
      if (cached) return cached.obj as PriorityClass;
      const { kv } = await store.get(objectKey(pcs.rt, '', name));
      return kv ? (JSON.parse(kv.value) as PriorityClass) : undefined;
    },
    async list() {
      return pcs ? cache.resource(pcs.prefix).list(pcs.prefix).map((o) => o.obj as PriorityClass) : [];
    },
  };
}

export class ApiServer {
  /** Aborted by stop(): ends loopback streams. */
  private readonly stopping = new AbortController();

  private constructor(
    readonly handler: ApiHandler,
    private readonly cache: WatchCache,
    readonly deps: RegistryDeps,
    private readonly server: https.Server | undefined,
  ) {}

  static async start(config: ApiServerConfig): Promise<ApiServer> {
    const resources = config.resources ?? RESOURCES;
    const catalogue = new Catalogue(resources);
    const cache = new WatchCache(config.store, catalogue.all.map((s) => s.prefix));
    await cache.start();

    const allocator = new ServiceAllocator({ serviceCidr: config.serviceCidr ?? '10.43.0.0/16', nodePortRange: config.nodePortRange ?? [30000, 32767] });
    const hooks = new Map<ResourceType, ResourceHooks>();
    const byKind = (group: string, plural: string) => catalogue.all.find((s) => s.rt.group === group && s.rt.plural === plural);
    const services = byKind('', 'services');
    if (services) {
      for (const o of cache.resource(services.prefix).list(services.prefix)) recordServiceAllocations(allocator, o.obj);
      hooks.set(services.rt, serviceHooks(allocator));
    }
    const setHooks = (group: string, plural: string, h: ResourceHooks) => {
      const s = byKind(group, plural);
      if (s) hooks.set(s.rt, h);
    };
    setHooks('', 'namespaces', namespaceHooks);
    setHooks('', 'pods', podHooks);
    setHooks('', 'events', eventHooks(config.eventTTLSeconds));
    setHooks('events.k8s.io', 'events', eventHooks(config.eventTTLSeconds));

    const namespaces = byKind('', 'namespaces');
    const lookupNamespace = async (name: string): Promise<KubeObject | undefined> => {
      if (!namespaces) return { metadata: { name } };
      const cached = cache.resource(namespaces.prefix).get(objectKey(namespaces.rt, '', name));
      if (cached) return cached.obj;
      const { kv } = await config.store.get(objectKey(namespaces.rt, '', name));
      return kv ? (JSON.parse(kv.value) as KubeObject) : undefined;
    };
    const admission = new AdmissionChain([namespaceLifecycle(lookupNamespace), priorityAdmission(priorityClassLookup(cache, config.store, byKind('scheduling.k8s.io', 'priorityclasses'))), defaultTolerationSeconds(), nodeRestriction()]);
    const deps: RegistryDeps = {
      store: config.store, cache, catalogue, admission, hooks,
      leases: createLeaseManager(config.store), now: config.now ?? (() => new Date()),
      kubeletClient: config.kubeletClient,
    };
    // Listen first so that port 0 resolves to the real port before discovery and the
    // `kubernetes` Endpoints are written; requests before the handler exists get 503.
    const started: { handler?: ApiHandler } = {};
    // Node passwords are kept through the API itself; the server exists by the time an agent asks.
    const loopbackOf: { api?: ApiServer } = {};
    const listener = config.listen ? await listen(config.listen, (r) => started.handler ? started.handler.handle(r) : Promise.resolve(statusResponse(errors.serviceUnavailable('the API server is starting').status))) : undefined;
    const boundPort = (listener?.address() as AddressInfo | null)?.port;
    const address = config.advertiseAddress ?? '127.0.0.1';
    const port = config.advertisePort ?? boundPort ?? 6443;
    const handler = new ApiHandler({
      deps,
      authn: new AuthenticatorChain([clientCertificateAuthenticator, tokenAuthenticator(config.tokens ?? [])]),
      authz: new AuthorizerChain([mastersAuthorizer, nodeAuthorizer, discoveryAuthorizer]),
      discovery: new Discovery(catalogue, `${address}:${port}`),
      openapi: openApiDocuments(resources, SERVER_VERSION.gitVersion),
      livez: [{ name: 'etcd', check: async () => { await config.store.currentRevision(); return true; } }],
      readyz: [
        { name: 'etcd', check: async () => { await config.store.currentRevision(); return true; } },
        { name: 'watch-cache', check: () => cache.healthy },
      ],
      bookmarkIntervalMs: config.bookmarkIntervalMs,
      preAuthRoutes: config.join ? joinRoutes({ checkNodePassword: nodePasswordChecker((r) => loopbackOf.api!.loopback(r)), ...config.join }) : undefined,
    });
    const api = new ApiServer(handler, cache, deps, listener);
    loopbackOf.api = api;
    await bootstrapCluster((r) => api.loopback(r), { apiServiceIP: allocator.apiServiceIP, address, port });
    started.handler = handler;
    return api;
  }

  /**
   * Serves a request in-process as the privileged loopback user (same pipeline as HTTPS).
   * Streams (watches) end when the caller's signal aborts or the server stops.
   */
  loopback(req: Omit<ApiRequest, 'signal' | 'user'> & { signal?: AbortSignal; user?: UserInfo }): Promise<ApiResponse> {
    const signal = req.signal ? AbortSignal.any([req.signal, this.stopping.signal]) : this.stopping.signal;
    return this.handler.handle({ ...req, signal, user: req.user ?? LOOPBACK_USER });
  }

  /** The port the HTTPS listener is bound to (useful with port 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Stops accepting, ends open watches and connections, stops the cache. The store is the caller's. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const s = this.server;
    if (s) {
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    this.cache.stop();
  }
}

function listen(l: NonNullable<ApiServerConfig['listen']>, handle: RequestHandler): Promise<https.Server> {
  const server = createHttpsServer(l.tls, handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.bindAddress, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
