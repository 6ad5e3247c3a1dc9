// OpenAPI documents of the served catalogue: /openapi/v2 (Swagger 2.0) and /openapi/v3 (index plus
// one OpenAPI 3.0 document per group-version). Pure builders; the HTTP layer caches their output.
export { buildOpenApiV2, type OpenApiInfo } from './v2.js';
export { buildOpenApiV3, groupVersionKey, type OpenApiV3, type OpenApiV3Document } from './v3.js';
export { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF } from './protobuf-v2.js';
export type { JsonSchema } from './json-schema.js';
