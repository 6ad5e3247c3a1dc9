// The OpenAPI 3.0 documents served under /openapi/v3: an index of group-versions and one document
// per group-version (kubectl ≥1.27 explain, apply and validation read these). Pure: computed once
// from the catalogue and cached by the caller.
import { createHash } from 'node:crypto';
import { type ResourceType } from '../../api/index.js';
import { SchemaConverter, type JsonSchema } from './json-schema.js';
import { declareCatalogue, defineResource } from './definitions.js';
import { metaDefinitions } from './meta-types.js';
import { PATCH_TYPES, resourceOperations, type Operation, type Payload } from './operations.js';
import { addPaths, discoveryOperation, groupVersionsOf } from './v2.js';

/** One served group-version document. */
export interface OpenApiV3Document {
  /** The serialised document (the response body). */
  json: string;
  /**
   * Upstream's content hash: uppercase hex SHA-512 of `json`. It is the `hash` query value in the
   * index's serverRelativeURL; the ETag header carries it quoted (`"<etag>"`).
   */
  etag: string;
}

export interface OpenApiV3 {
  /** Body of `GET /openapi/v3`: `{paths: {"api/v1": {serverRelativeURL}, "apis/apps/v1": …}}`. */
  index: { paths: Record<string, { serverRelativeURL: string }> };
  /** Documents keyed by path below /openapi/v3/ without a leading slash: `api/v1`, `apis/apps/v1`. */
  documents: Map<string, OpenApiV3Document>;
}

const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const STREAM_MEDIA = [...MEDIA, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

function payloadSchemaV3(conv: SchemaConverter, p: Payload): JsonSchema {
  return 'definition' in p ? conv.refTo(p.definition) : { type: 'string' };
}

function renderOperationV3(conv: SchemaConverter, op: Operation): JsonSchema {
  const out: JsonSchema = {
    tags: [op.tag],
    description: op.description,
    operationId: op.operationId,
    parameters: op.parameters.map((p) => ({ name: p.name, in: p.in, description: p.description, ...(p.required ? { required: true } : {}), schema: { type: p.type, uniqueItems: true } })),
  };
  if (op.body) {
    const schema = payloadSchemaV3(conv, op.body);
    const types = op.method === 'patch' ? PATCH_TYPES : op.method === 'delete' ? ['application/json'] : ['*/*'];
    out.requestBody = { content: Object.fromEntries(types.map((t) => [t, { schema }])), ...(op.method === 'delete' ? {} : { required: true }) };
  }
  const responses: JsonSchema = {};
  for (const [code, payload] of Object.entries(op.responses)) {
    const schema = payloadSchemaV3(conv, payload);
    const media = 'text' in payload ? ['*/*'] : op.streams ? STREAM_MEDIA : MEDIA;
    responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: Object.fromEntries(media.map((m) => [m, { schema }])) };
  }
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

const sortedObject = <V>(m: Map<string, V> | Record<string, V>): Record<string, V> =>
  Object.fromEntries([...(m instanceof Map ? m.entries() : Object.entries(m))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Builds the document of one group-version: its kinds, lists, paths and the meta.v1 types. */
export function buildGroupVersionDocument(resources: readonly ResourceType[], group: string, version: string): JsonSchema {
  const conv = new SchemaConverter('v3');
  for (const schema of metaDefinitions(groupVersionsOf(resources))) conv.define(schema);
  declareCatalogue(conv);
  const paths: Record<string, JsonSchema> = {};
  const render = (op: Operation) => renderOperationV3(conv, op);
  addPaths(paths, [discoveryOperation(group, version)], render);
  for (const rt of resources) {
    if (rt.group === group && rt.version === version) addPaths(paths, resourceOperations(rt, defineResource(conv, rt, resources)), render);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: sortedObject(paths),
    components: {
      schemas: sortedObject(conv.definitions),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** `api/v1`, `apis/apps/v1`. */
export function groupVersionKey(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Builds the index and every group-version document for `resources`. */
export function buildOpenApiV3(resources: readonly ResourceType[]): OpenApiV3 {
  const documents = new Map<string, OpenApiV3Document>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersionsOf(resources)) {
    const key = groupVersionKey(gv.group, gv.version);
    const json = JSON.stringify(buildGroupVersionDocument(resources, gv.group, gv.version));
    const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
    documents.set(key, { json, etag: hash });
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { index: { paths: sortedObject(paths) }, documents };
}
