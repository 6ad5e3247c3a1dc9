// The REST operations a ResourceType serves, described once, independent of the OpenAPI dialect.
// v2.ts and v3.ts render these into `paths`. Names follow upstream's generator: operationId
// `<verb><Group><Version>[Namespaced]<Kind>[Subresource]`, tag `<group>_<version>`,
// `x-kubernetes-action` get/list/watch/watchlist/post/put/patch/delete/deletecollection/connect.
import { ALL_VERBS, type ResourceType, type SubresourceType } from '../../api/index.js';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
}

/** What an operation reads or returns: a named definition, or plain text (logs, connect). */
export type Payload = { definition: string } | { text: true };

export interface Operation {
  path: string;
  method: Method;
  operationId: string;
  description: string;
  action: Action;
  tag: string;
  gvk: { group: string; version: string; kind: string };
  parameters: Parameter[];
  body?: Payload;
  /** Response bodies by HTTP status code. */
  responses: Record<string, Payload>;
  /** True for list/watch responses that may be streamed (`;stream=watch` media types). */
  streams?: boolean;
}

/** Patch media types the API server accepts, as upstream lists them for built-in types. */
export const PATCH_TYPES = [
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
];

/** Definition names a resource's operations refer to. */
export interface ResourceDefinitions {
  object: string;
  list: string;
  /** Definition of each subresource's body, by subresource name; absent → plain text (connect). */
  subresources: Record<string, string | undefined>;
  status: string;
  deleteOptions: string;
  watchEvent: string;
  patch: string;
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** `CoreV1`, `AppsV1`, `RbacAuthorizationV1`, `FlowcontrolApiserverV1beta3`. */
export function groupVersionName(group: string, version: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return g.split('.').map(capitalize).join('') + capitalize(version);
}

/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`. */
export function tagOf(group: string, version: string): string {
  const parts = (group === '' ? 'core' : group.replace(/\.k8s\.io$/, '')).split('.');
  return parts[0] + parts.slice(1).map(capitalize).join('') + '_' + version;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

const q = (name: string, type: Parameter['type'], description: string): Parameter => ({ name, in: 'query', type, description });
const PRETTY = q('pretty', 'string', 'If \'true\', then the output is pretty printed.');
const DRY_RUN = q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.');
const FORCE = q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.');
const LIST_PARAMS: Parameter[] = [
  q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  q('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true to begin the watch stream with synthetic events.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.'),
  q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.'),
];
const DELETE_PARAMS: Parameter[] = [
  DRY_RUN,
  q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean', 'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.'),
  q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  q('propagationPolicy', 'string', 'Whether and how garbage collection will be performed.'),
];
const pathParam = (name: string, description: string): Parameter => ({ name, in: 'path', type: 'string', description, required: true });

/** Every operation of `rt`, in upstream's path order. */
export function resourceOperations(rt: ResourceType, defs: ResourceDefinitions): Operation[] {
  const verbs = new Set(rt.verbs ?? ALL_VERBS);
  const gvName = groupVersionName(rt.group, rt.version);
  const scope = rt.namespaced ? 'Namespaced' : '';
  const base = groupVersionPath(rt.group, rt.version);
  const nsPrefix = rt.namespaced ? '/namespaces/{namespace}' : '';
  const collection = `${base}${nsPrefix}/${rt.plural}`;
  const item = `${collection}/{name}`;
  const tag = tagOf(rt.group, rt.version);
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const nsParams = rt.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
  const nameParam = pathParam('name', `name of the ${rt.kind}`);
  const ops: Operation[] = [];
  const op = (o: Omit<Operation, 'tag' | 'gvk'> & { gvk?: Operation['gvk'] }) => ops.push({ tag, gvk, ...o });
  const obj = { definition: defs.object };
  const status = { definition: defs.status };

  if (rt.namespaced && verbs.has('list')) {
    op({ path: `${base}/${rt.plural}`, method: 'get', operationId: `list${gvName}${rt.kind}ForAllNamespaces`, description: `list or watch objects of kind ${rt.kind}`,
      action: 'list', parameters: [...LIST_PARAMS, PRETTY], responses: { 200: { definition: defs.list } }, streams: true });
  }
  if (verbs.has('list')) {
    op({ path: collection, method: 'get', operationId: `list${gvName}${scope}${rt.kind}`, description: `list or watch objects of kind ${rt.kind}`,
      action: 'list', parameters: [...nsParams, ...LIST_PARAMS, PRETTY], responses: { 200: { definition: defs.list } }, streams: true });
  }
  if (verbs.has('create')) {
    op({ path: collection, method: 'post', operationId: `create${gvName}${scope}${rt.kind}`, description: `create ${article(rt.kind)} ${rt.kind}`,
      action: 'post', parameters: [...nsParams, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY], body: obj, responses: { 200: obj, 201: obj, 202: obj } });
  }
  if (verbs.has('deletecollection')) {
    op({ path: collection, method: 'delete', operationId: `delete${gvName}Collection${scope}${rt.kind}`, description: `delete collection of ${rt.kind}`,
      action: 'deletecollection', parameters: [...nsParams, ...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), PRETTY],
      body: { definition: defs.deleteOptions }, responses: { 200: status } });
  }
  if (rt.createOnly) return ops;
  if (verbs.has('get')) {
    op({ path: item, method: 'get', operationId: `read${gvName}${scope}${rt.kind}`, description: `read the specified ${rt.kind}`,
      action: 'get', parameters: [nameParam, ...nsParams, PRETTY], responses: { 200: obj } });
  }
  if (verbs.has('update')) {
    op({ path: item, method: 'put', operationId: `replace${gvName}${scope}${rt.kind}`, description: `replace the specified ${rt.kind}`,
      action: 'put', parameters: [nameParam, ...nsParams, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY], body: obj, responses: { 200: obj, 201: obj } });
  }
  if (verbs.has('patch')) {
    op({ path: item, method: 'patch', operationId: `patch${gvName}${scope}${rt.kind}`, description: `partially update the specified ${rt.kind}`,
      action: 'patch', parameters: [nameParam, ...nsParams, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE, PRETTY],
      body: { definition: defs.patch }, responses: { 200: obj, 201: obj } });
  }
  if (verbs.has('delete')) {
    op({ path: item, method: 'delete', operationId: `delete${gvName}${scope}${rt.kind}`, description: `delete ${article(rt.kind)} ${rt.kind}`,
      action: 'delete', parameters: [nameParam, ...nsParams, ...DELETE_PARAMS, PRETTY], body: { definition: defs.deleteOptions }, responses: { 200: status, 202: status } });
  }
  for (const sub of rt.subresources ?? []) ops.push(...subresourceOperations(rt, sub, defs, { item, gvName, scope, tag, nameParam, nsParams }));
  if (verbs.has('watch')) {
    const watchBase = `${base}/watch`;
    if (rt.namespaced) {
      op({ path: `${watchBase}/${rt.plural}`, method: 'get', operationId: `watch${gvName}${rt.kind}ListForAllNamespaces`,
        description: `watch individual changes to a list of ${rt.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        action: 'watchlist', parameters: [...LIST_PARAMS, PRETTY], responses: { 200: { definition: defs.watchEvent } }, streams: true });
    }
    op({ path: `${watchBase}${nsPrefix}/${rt.plural}`, method: 'get', operationId: `watch${gvName}${scope}${rt.kind}List`,
      description: `watch individual changes to a list of ${rt.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
      action: 'watchlist', parameters: [...nsParams, ...LIST_PARAMS, PRETTY], responses: { 200: { definition: defs.watchEvent } }, streams: true });
    op({ path: `${watchBase}${nsPrefix}/${rt.plural}/{name}`, method: 'get', operationId: `watch${gvName}${scope}${rt.kind}`,
      description: `watch changes to an object of kind ${rt.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
      action: 'watch', parameters: [nameParam, ...nsParams, ...LIST_PARAMS, PRETTY], responses: { 200: { definition: defs.watchEvent } }, streams: true });
  }
  return ops;
}

interface SubContext { item: string; gvName: string; scope: string; tag: string; nameParam: Parameter; nsParams: Parameter[] }

function subresourceOperations(rt: ResourceType, sub: SubresourceType, defs: ResourceDefinitions, c: SubContext): Operation[] {
  const path = `${c.item}/${sub.name}`;
  const suffix = sub.name.split(/[^a-zA-Z0-9]/).map(capitalize).join('');
  const name = `${c.scope}${rt.kind}${suffix}`;
  const gvk = { group: sub.group ?? rt.group, version: sub.version ?? rt.version, kind: sub.kind };
  const defName = defs.subresources[sub.name];
  const payload: Payload = defName ? { definition: defName } : { text: true };
  const params = [c.nameParam, ...c.nsParams];
  const ops: Operation[] = [];
  const connect = !defName;
  for (const verb of sub.verbs) {
    const base = { path, tag: c.tag, gvk };
    if (connect) {
      const method: Method = verb === 'create' ? 'post' : 'get';
      ops.push({ ...base, method, operationId: `connect${c.gvName}${capitalize(method)}${name}`, description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${rt.kind}`,
        action: 'connect', parameters: params, responses: { 200: { text: true } } });
    } else if (verb === 'get') {
      ops.push({ ...base, method: 'get', operationId: `read${c.gvName}${name}`, description: `read ${sub.name} of the specified ${rt.kind}`,
        action: 'get', parameters: [...params, PRETTY], responses: { 200: payload } });
    } else if (verb === 'update') {
      ops.push({ ...base, method: 'put', operationId: `replace${c.gvName}${name}`, description: `replace ${sub.name} of the specified ${rt.kind}`,
        action: 'put', parameters: [...params, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY], body: payload, responses: { 200: payload, 201: payload } });
    } else if (verb === 'patch') {
      ops.push({ ...base, method: 'patch', operationId: `patch${c.gvName}${name}`, description: `partially update ${sub.name} of the specified ${rt.kind}`,
        action: 'patch', parameters: [...params, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE, PRETTY], body: { definition: defs.patch }, responses: { 200: payload, 201: payload } });
    } else if (verb === 'create') {
      ops.push({ ...base, method: 'post', operationId: `create${c.gvName}${name}`, description: `create ${sub.name} of ${article(rt.kind)} ${rt.kind}`,
        action: 'post', parameters: [...params, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY], body: payload, responses: { 200: payload, 201: payload, 202: payload } });
    }
  }
  return ops;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}
