// The Swagger 2.0 document served at /openapi/v2. kubectl reads its `definitions` (explain with
// --output plaintext-openapiv2, client-side validation, strategic merge patch on old versions).
// Pure: computed once from the catalogue and cached by the caller.
import { type ResourceType } from '../../api/index.js';
import { SchemaConverter, type JsonSchema } from './json-schema.js';
import { declareCatalogue, defineResource } from './definitions.js';
import { metaDefinitions, API_RESOURCE_LIST } from './meta-types.js';
import { groupVersionName, groupVersionPath, resourceOperations, tagOf, PATCH_TYPES, type Operation, type Payload } from './operations.js';

export interface OpenApiInfo { title: string; version: string }

const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const STREAM_MEDIA = [...MEDIA, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

/** Distinct group-versions of `resources`, in catalogue order. */
export function groupVersionsOf(resources: readonly ResourceType[]): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const rt of resources) seen.set(`${rt.group}/${rt.version}`, { group: rt.group, version: rt.version });
  return [...seen.values()];
}

/** The group-version discovery operation (`GET /apis/apps/v1/`) upstream lists in every document. */
export function discoveryOperation(group: string, version: string): Operation {
  return {
    path: `${groupVersionPath(group, version)}/`, method: 'get', operationId: `get${groupVersionName(group, version)}APIResources`,
    description: 'get available resources', action: 'get', tag: tagOf(group, version), gvk: { group: '', version: 'v1', kind: 'APIResourceList' },
    parameters: [], responses: { 200: { definition: API_RESOURCE_LIST } },
  };
}

function payloadSchemaV2(conv: SchemaConverter, p: Payload): JsonSchema {
  return 'definition' in p ? conv.refTo(p.definition) : { type: 'string' };
}

function renderOperationV2(conv: SchemaConverter, op: Operation): JsonSchema {
  const out: JsonSchema = {
    description: op.description,
    consumes: op.method === 'patch' ? [...PATCH_TYPES] : ['*/*'],
    produces: op.responses[200] && 'text' in op.responses[200] ? ['*/*'] : op.streams ? STREAM_MEDIA : MEDIA,
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
    parameters: op.parameters.map((p) => ({ uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in, ...(p.required ? { required: true } : {}) })),
    responses: {} as JsonSchema,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
  if (op.body) (out.parameters as JsonSchema[]).unshift({ name: 'body', in: 'body', required: op.method !== 'delete', schema: payloadSchemaV2(conv, op.body) });
  const responses = out.responses as JsonSchema;
  for (const [code, payload] of Object.entries(op.responses)) {
    responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', schema: payloadSchemaV2(conv, payload) };
  }
  responses['401'] = { description: 'Unauthorized' };
  return out;
}

/** Adds `ops` to a `paths` object (shared by v2 and v3: one path item per path, one entry per method). */
export function addPaths(paths: Record<string, JsonSchema>, ops: Operation[], render: (op: Operation) => JsonSchema): void {
  for (const op of ops) (paths[op.path] ??= {})[op.method] = render(op);
}

/** Builds the Swagger 2.0 document for every resource in `resources`. */
export function buildOpenApiV2(resources: readonly ResourceType[], info: OpenApiInfo): JsonSchema {
  const conv = new SchemaConverter('v2');
  for (const schema of metaDefinitions(groupVersionsOf(resources))) conv.define(schema);
  declareCatalogue(conv);
  const paths: Record<string, JsonSchema> = {};
  const render = (op: Operation) => renderOperationV2(conv, op);
  for (const gv of groupVersionsOf(resources)) addPaths(paths, [discoveryOperation(gv.group, gv.version)], render);
  for (const rt of resources) addPaths(paths, resourceOperations(rt, defineResource(conv, rt, resources)), render);
  const definitions: Record<string, JsonSchema> = {};
  for (const name of [...conv.definitions.keys()].sort()) definitions[name] = conv.definitions.get(name)!;
  return {
    swagger: '2.0',
    info: { title: info.title, version: info.version },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    definitions,
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
