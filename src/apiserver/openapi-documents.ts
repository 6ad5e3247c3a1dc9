// Serialised OpenAPI documents, built once from the catalogue on first use.
import { createHash } from 'node:crypto';
import type { ResourceType } from '../api/index.js';
import { buildOpenApiV2, buildOpenApiV3 } from './openapi/index.js';

export interface OpenApiDocuments {
  v2(): string;
  v2Etag(): string;
  v3Index(): unknown;
  v3Document(path: string): { json: string; etag: string } | undefined;
}

export function openApiDocuments(resources: readonly ResourceType[], version: string): OpenApiDocuments {
  let v2: { json: string; etag: string } | undefined;
  let v3: ReturnType<typeof buildOpenApiV3> | undefined;
  const getV2 = () => {
    if (!v2) {
      const json = JSON.stringify(buildOpenApiV2(resources as ResourceType[], { title: 'Kubernetes', version }));
      v2 = { json, etag: createHash('sha512').update(json).digest('hex').toUpperCase() };
    }
    return v2;
  };
  const getV3 = () => (v3 ??= buildOpenApiV3(resources as ResourceType[]));
  return {
    v2: () => getV2().json,
    v2Etag: () => getV2().etag,
    v3Index: () => getV3().index,
    v3Document: (path) => getV3().documents.get(path),
  };
}
