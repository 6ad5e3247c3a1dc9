// Serialised OpenAPI documents, built once from the catalogue on first use.
import { createHash } from 'node:crypto';
import type { ResourceType } from '../api/index.js';
import { buildOpenApiV2, buildOpenApiV3, encodeOpenApiV2Protobuf } from './openapi/index.js';

export interface OpenApiDocuments {
  v2(): string;
  v2Etag(): string;
  /** The v2 document in the protobuf form client-go decodes. */
  v2Protobuf(): Buffer;
  v3Index(): unknown;
  v3Document(path: string): { json: string; etag: string } | undefined;
}

export function openApiDocuments(resources: readonly ResourceType[], version: string): OpenApiDocuments {
  let v2: { json: string; etag: string; doc: unknown } | undefined;
  let v2pb: Buffer | undefined;
  let v3: ReturnType<typeof buildOpenApiV3> | undefined;
  const getV2 = () => {
    if (!v2) {
      const doc = buildOpenApiV2(resources as ResourceType[], { title: 'Kubernetes', version });
      const json = JSON.stringify(doc);
      v2 = { json, doc, etag: createHash('sha512').update(json).digest('hex').toUpperCase() };
    }
    return v2;
  };
  const getV3 = () => (v3 ??= buildOpenApiV3(resources as ResourceType[]));
  return {
    v2: () => getV2().json,
    v2Etag: () => getV2().etag,
    v2Protobuf: () => (v2pb ??= encodeOpenApiV2Protobuf(getV2().doc as never)),
    v3Index: () => getV3().index,
    v3Document: (path) => getV3().documents.get(path),
  };
}
