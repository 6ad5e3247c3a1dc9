// Typed-by-path access to one resource: the verbs kubectl uses, with upstream's query parameters
// and content types. Objects are plain `KubeObject`s parsed from the wire, owned by the caller.
import type { KubeObject, Status } from '../api/index.js';
import type { Client } from './client.js';

/** Which resource a ResourceClient addresses. */
export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Lowercase plural used in paths: `pods`. */
  plural: string;
  namespaced: boolean;
  /** Kind, filled into created objects that lack one. */
  kind?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version ('' or absent: the current state as ADDED events, then changes). */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  resourceVersionMatch?: 'NotOlderThan';
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface KubeList {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One watch event. For ERROR the object is a `Status`. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function writeQuery(opts: PatchOptions = {}): string {
  return query({ dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation, force: opts.force });
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

export class ResourceClient {
  constructor(private readonly client: Client, readonly ref: ResourceRef) {}

  /**
   * The collection path. `namespace` '' on a namespaced resource means all namespaces (list,
   * watch); on a cluster-scoped resource the namespace is ignored.
   */
  path(namespace: string, name?: string, subresource?: string): string {
    const r = this.ref;
    let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${r.plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
    return p;
  }

  get(namespace: string, name: string): Promise<KubeObject> {
    return this.client.requestJSON('GET', this.path(namespace, name));
  }

  /** GET of a subresource, e.g. `scale` or `status`. */
  getSubresource(namespace: string, name: string, subresource: string): Promise<KubeObject> {
    return this.client.requestJSON('GET', this.path(namespace, name, subresource));
  }

  list(namespace: string, opts: ListOptions = {}): Promise<KubeList> {
    return this.client.requestJSON('GET', this.path(namespace) + query({ ...opts }));
  }

  /**
   * Every item, following `continue` tokens page by page (default `limit` 500). All pages come from
   * the snapshot of the first; the returned resourceVersion is that snapshot's.
   */
  async listAll(namespace: string, opts: ListOptions = {}): Promise<KubeList> {
    const first = await this.list(namespace, { limit: 500, ...opts });
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list(namespace, { limit: opts.limit ?? 500, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, continue: cont });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { apiVersion: first.apiVersion, kind: first.kind, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create(namespace: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /** POST to a subresource, e.g. `create(ns, podName, 'binding', binding)` or an eviction. */
  create(namespace: string, name: string, subresource: string, body: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  create(namespace: string, a: KubeObject | string, b?: WriteOptions | string, body?: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    if (typeof a === 'string') return this.createSubresource(namespace, a, b as string, body!, opts);
    const w = b as WriteOptions | undefined;
    return this.client.requestJSON('POST', this.path(namespace) + writeQuery(w), this.withTypeMeta(a));
  }

  createSubresource(namespace: string, name: string, subresource: string, body: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.client.requestJSON('POST', this.path(namespace, name, subresource) + writeQuery(opts), body);
  }

  /** PUT of the whole object; `metadata.resourceVersion`, when set, is a precondition (409 Conflict). */
  update(namespace: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.client.requestJSON('PUT', this.path(namespace, nameOf(obj)) + writeQuery(opts), this.withTypeMeta(obj));
  }

  /** PUT to `/status`: only the status changes. */
  updateStatus(namespace: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.client.requestJSON('PUT', this.path(namespace, nameOf(obj), 'status') + writeQuery(opts), this.withTypeMeta(obj));
  }

  /** PUT to any subresource (e.g. `scale`). */
  updateSubresource(namespace: string, name: string, subresource: string, body: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.client.requestJSON('PUT', this.path(namespace, name, subresource) + writeQuery(opts), body);
  }

  /** `patch` is an object/array (JSON-encoded) or already-encoded text (e.g. YAML for apply). */
  patch(namespace: string, name: string, type: PatchType, patch: unknown, subresource?: string, opts?: PatchOptions): Promise<KubeObject> {
    const body = typeof patch === 'string' ? patch : JSON.stringify(patch);
    return this.client.requestJSON('PATCH', this.path(namespace, name, subresource) + writeQuery(opts), body, { 'content-type': PATCH_CONTENT_TYPES[type] });
  }

  /** Returns the object (still present while finalizers or grace run) or a success Status. */
  delete(namespace: string, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    return this.client.requestJSON('DELETE', this.path(namespace, name), deleteBody(opts));
  }

  deleteCollection(namespace: string, listOpts: ListOptions = {}, opts: DeleteOptions = {}): Promise<KubeList | Status> {
    return this.client.requestJSON('DELETE', this.path(namespace) + query({ ...listOpts }), deleteBody(opts));
  }

  /**
   * Streams events to `onEvent` in order until the server ends the watch (timeout) or `signal`
   * aborts; then resolves. ERROR events are delivered, not thrown: the watch ends after one.
   * Throws StatusError when the server refuses the watch (e.g. 410 Expired).
   */
  watch(namespace: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const path = this.path(namespace) + query({ watch: true, ...opts });
    return this.client.stream(path, (line) => {
      const e = JSON.parse(line) as WatchEvent;
      onEvent(e);
    }, signal);
  }

  private withTypeMeta(obj: KubeObject): KubeObject {
    if (obj.apiVersion && obj.kind) return obj;
    const r = this.ref;
    return { ...obj, apiVersion: obj.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version), ...(obj.kind || !r.kind ? {} : { kind: r.kind }) };
  }
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> | undefined {
  const { dryRun, ...rest } = opts;
  if (!dryRun && Object.keys(rest).length === 0) return undefined;
  return { kind: 'DeleteOptions', apiVersion: 'v1', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) };
}
