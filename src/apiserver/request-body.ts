// Request bodies of objects: JSON, YAML, or Kubernetes protobuf (what client-go's typed clients
// send from kubectl 1.32 on). Protobuf needs the expected kind's schema to name the fields.
import type { TSchema } from '../api/index.js';
import type { ApiRequest } from './http/types.js';
import { parseBody } from './http/negotiate.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf/index.js';

const ACCEPTED = ['application/json', 'application/yaml', PROTOBUF_CONTENT_TYPE];

export function readObjectBody(req: ApiRequest, schema: TSchema): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === PROTOBUF_CONTENT_TYPE) return decodeProtobufObject(req.body ?? Buffer.alloc(0), schema);
  return parseBody(req.body, req.headers['content-type'], ACCEPTED);
}
