// Parses a request path into upstream's RequestInfo: which resource, namespace, name,
// subresource and verb. Pure.

export interface ResourceRequestInfo {
  isResourceRequest: true;
  /** 'api' or 'apis'. */
  prefix: 'api' | 'apis';
  group: string;
  version: string;
  /** Empty for cluster-scoped requests and for lists across all namespaces. */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  /** Remaining path after the subresource (for proxy-like subresources). */
  parts: string[];
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  path: string;
  verb: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const METHOD_VERBS: Record<string, string> = {
  POST: 'create', PUT: 'update', PATCH: 'patch', GET: 'get', HEAD: 'get', DELETE: 'delete',
};

/**
 * `query` is the parsed query string (watch=true turns list into watch, as upstream).
 * Returns a non-resource info for anything outside `/api/v1/…` and `/apis/<g>/<v>/…`.
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const verbOf = METHOD_VERBS[method] ?? method.toLowerCase();
  const segments = path.split('/').filter((s) => s.length > 0).map(decodeURIComponentSafe);
  const nonResource: NonResourceRequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase() };
  if (segments.length === 0) return nonResource;
  const prefix = segments[0];
  let rest: string[];
  let group = '';
  let version: string;
  if (prefix === 'api') {
    if (segments.length < 3) return nonResource;
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (prefix === 'apis') {
    if (segments.length < 4) return nonResource;
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return nonResource;
  }

  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }

  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && isNamespaceSubresource(rest[2]!))) {
    // /namespaces/{ns}/{resource}…
    namespace = rest[1]!;
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length >= 2) {
    // /namespaces/{name} or /namespaces/{name}/status|finalize: the namespace object itself.
    namespace = rest[1]!;
  }

  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest[2] ?? '';
  const parts = rest.slice(3);

  let verb = verbOf;
  if (method === 'GET' || method === 'HEAD') {
    const w = query.get('watch');
    if (watchPrefix || w === 'true' || w === '1') verb = 'watch';
    else if (!name) verb = 'list';
  } else if (method === 'DELETE' && !name) {
    verb = 'deletecollection';
  }
  return { isResourceRequest: true, prefix: prefix as 'api' | 'apis', group, version, namespace, resource, name, subresource, verb, parts };
}

function isNamespaceSubresource(s: string): boolean {
  return s === 'status' || s === 'finalize';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
