// The API server's request pipeline, independent of transport:
//   authenticate → request info → authorize → non-resource (health, version, discovery,
//   OpenAPI) or resource handler. Every failure is answered with a Status; nothing a client
//   sends escapes as an exception.
import { errors, type KubeObject, type ResourceType } from '../api/index.js';
import type { ApiRequest, ApiResponse } from './http/types.js';
import { errorResponse, jsonResponse, statusResponse } from './http/respond.js';
import { readObjectBody } from './request-body.js';
import { parseRequestInfo } from './request-info.js';
import { forbiddenMessage, type AuthorizerChain } from './auth/authorizer.js';
import type { AuthenticatorChain } from './auth/authenticator.js';
import { selfSubjectAccessReview, selfSubjectRulesReview } from './auth/reviews.js';
import { Discovery, SERVER_VERSION, wantsAggregated } from './discovery/discovery.js';
import type { RegistryDeps } from './registry/context.js';
import { handleResource, shapeObject } from './resource-handler.js';
import { negotiate } from './http/negotiate.js';
import type { OpenApiDocuments } from './openapi-documents.js';

/** A named readiness/liveness check. */
export interface HealthCheck {
  name: string;
  check(): boolean | Promise<boolean>;
}

export interface HandlerOptions {
  deps: RegistryDeps;
  authn: AuthenticatorChain;
  authz: AuthorizerChain;
  discovery: Discovery;
  openapi: OpenApiDocuments;
  livez: HealthCheck[];
  readyz: HealthCheck[];
  bookmarkIntervalMs?: number;
  /** Routes answered before authentication (the node join endpoints); undefined = not theirs. */
  preAuthRoutes?: (req: ApiRequest, path: string) => Promise<ApiResponse | undefined>;
}

const PUBLIC_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$|^\/version\/?$/;

export class ApiHandler {
  constructor(private readonly o: HandlerOptions) {}

  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.route(req);
    } catch (e) {
      return errorResponse(e);
    }
  }

  private async route(req: ApiRequest): Promise<ApiResponse> {
    let url: URL;
    try {
      url = new URL(req.url, 'https://capstan.invalid');
    } catch {
      throw errors.badRequest('malformed request URL');
    }
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const query = url.searchParams;
    const early = this.o.preAuthRoutes ? await this.o.preAuthRoutes(req, path) : undefined;
    if (early) return early;
    const user = this.o.authn.authenticate(req);
    if (!user) {
      if (!PUBLIC_PATHS.test(path)) return statusResponse(errors.unauthorized().status);
    } else {
      req.user = user;
    }
    const info = parseRequestInfo(req.method, path, query);
    if (req.user) {
      const attrs = info.isResourceRequest
        ? { user: req.user, verb: info.verb, isResourceRequest: true, group: info.group, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name }
        : { user: req.user, verb: info.verb, isResourceRequest: false, path };
      const d = this.o.authz.authorize(attrs);
      if (d.decision !== 'allow') {
        throw errors.forbidden(forbiddenMessage(attrs), info.isResourceRequest ? { name: info.name || undefined, group: info.group || undefined, kind: info.resource } : undefined);
      }
    }
    if (!info.isResourceRequest) return this.nonResource(req, path, query);

    if (info.prefix === 'api' && info.group === '' && info.version !== 'v1') throw errors.pathNotFound();
    const served = this.o.deps.catalogue.lookup(info.group, info.version, info.resource);
    if (!served) throw errors.pathNotFound();
    const { rt } = served;
    if (rt.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) throw errors.pathNotFound();
    if (!rt.namespaced && info.namespace && rt.plural !== 'namespaces') throw errors.pathNotFound();
    if (rt.createOnly) return this.review(req, rt, info.verb);
    return handleResource(this.o.deps, served, info, req, query, { bookmarkIntervalMs: this.o.bookmarkIntervalMs });
  }

  private review(req: ApiRequest, rt: ResourceType, verb: string): ApiResponse {
    if (verb !== 'create') throw errors.methodNotSupported({ group: rt.group, resource: rt.plural }, verb);
    const body = readObjectBody(req, rt.schema) as KubeObject;
    if (!body || typeof body !== 'object' || body.kind !== rt.kind) throw errors.badRequest(`expected a ${rt.kind}`);
    const out = rt.kind === 'SelfSubjectAccessReview'
      ? selfSubjectAccessReview(this.o.authz, req.user!, body)
      : selfSubjectRulesReview(this.o.authz, req.user!, body);
    const neg = negotiate(req.headers['accept'], false);
    return jsonResponse(201, shapeObject(neg, rt, out, new URLSearchParams(), this.o.deps.now()), [], neg.format);
  }

  private async nonResource(req: ApiRequest, path: string, query: URLSearchParams): Promise<ApiResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed();
    const d = this.o.discovery;
    const health = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
    if (health) return this.health(health[1]!, health[2], query);
    if (path === '/version') return jsonResponse(200, SERVER_VERSION);
    if (path === '/api' || path === '/apis') {
      const which = path === '/api' ? 'api' : 'apis';
      const agg = wantsAggregated(req.headers['accept']);
      if (agg) {
        return { status: 200, headers: { 'content-type': `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`, vary: 'Accept' }, body: d.aggregatedDocument(which, agg) };
      }
      return { ...jsonResponse(200, which === 'api' ? d.apiVersions : d.apiGroupList), headers: { 'content-type': 'application/json', vary: 'Accept' } };
    }
    let m = /^\/api\/([^/]+)$/.exec(path);
    if (m) {
      const list = d.resourceList('', m[1]!);
      if (!list) throw errors.pathNotFound();
      return jsonResponse(200, list);
    }
    m = /^\/apis\/([^/]+)$/.exec(path);
    if (m) {
      const g = d.group(m[1]!);
      if (!g) throw errors.pathNotFound();
      return jsonResponse(200, g);
    }
    m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const list = d.resourceList(m[1]!, m[2]!);
      if (!list) throw errors.pathNotFound();
      return jsonResponse(200, list);
    }
    if (path === '/openapi/v2') {
      const accept = req.headers['accept'] ?? '*/*';
      const etag = `"${this.o.openapi.v2Etag()}"`;
      // client-go asks for `…spec.v2@v1.0+protobuf` (or the older `…spec.v2.v1.0+protobuf`) but
      // parses the answer's type with Go's mime parser, which rejects '@': answer the dotted form.
      if (/application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/.test(accept)) {
        return { status: 200, headers: { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', etag }, body: this.o.openapi.v2Protobuf() };
      }
      if (!/application\/json|\*\/\*|application\/\*/.test(accept)) throw errors.notAcceptable();
      return { status: 200, headers: { 'content-type': 'application/json', etag: `"${this.o.openapi.v2Etag()}"` }, body: this.o.openapi.v2() };
    }
    if (path === '/openapi/v3') return jsonResponse(200, this.o.openapi.v3Index());
    m = /^\/openapi\/v3\/(.+)$/.exec(path);
    if (m) {
      const doc = this.o.openapi.v3Document(m[1]!);
      if (!doc) throw errors.pathNotFound();
      const immutable = query.get('hash') === doc.etag;
      return {
        status: 200,
        headers: { 'content-type': 'application/json', etag: `"${doc.etag}"`, 'cache-control': immutable ? 'public, immutable' : 'no-cache, private' },
        body: doc.json,
      };
    }
    throw errors.pathNotFound();
  }

  private async health(kind: string, sub: string | undefined, query: URLSearchParams): Promise<ApiResponse> {
    const checks = kind === 'livez' ? this.o.livez : kind === 'readyz' ? this.o.readyz : [...this.o.livez, ...this.o.readyz];
    const selected = sub ? checks.filter((c) => c.name === sub) : checks;
    if (sub && !selected.length && sub !== 'ping') throw errors.pathNotFound();
    const exclude = new Set(query.getAll('exclude'));
    const results: [string, boolean][] = [['ping', true]];
    for (const c of selected) {
      if (exclude.has(c.name)) continue;
      let ok = false;
      try {
        ok = await c.check();
      } catch {
        ok = false;
      }
      results.push([c.name, ok]);
    }
    const allOk = results.every(([, ok]) => ok);
    const verbose = query.has('verbose') || !allOk;
    let body = 'ok';
    if (verbose) {
      body = results.map(([n, ok]) => `[${ok ? '+' : '-'}]${n} ${ok ? 'ok' : 'failed: reason withheld'}`).join('\n')
        + `\n${kind} check ${allOk ? 'passed' : 'failed'}\n`;
    }
    return { status: allOk ? 200 : 500, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body };
  }
}
