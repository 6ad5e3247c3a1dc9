// Content negotiation for responses (Accept) and request bodies (Content-Type).
import YAML from 'yaml';
import { errors } from '../../api/index.js';

export type ResponseShape = 'object' | 'table' | 'metadata';

export interface Negotiated {
  /** What the client wants: the objects, a meta.k8s.io Table, or PartialObjectMetadata. */
  shape: ResponseShape;
  /** Serialisation. */
  format: 'json' | 'yaml';
  /** Table/PartialObjectMetadata version the client asked for ('v1' or 'v1beta1'). */
  metaVersion: string;
}

interface MediaRange { type: string; params: Record<string, string> }

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return { type: (type ?? '').toLowerCase(), params };
  }).filter((m) => m.type);
}

/**
 * Picks the first acceptable media range, as upstream does: `as=Table;g=meta.k8s.io`,
 * `as=PartialObjectMetadata(List)`, plain JSON/YAML, or any. Protobuf-only clients get 406.
 */
export function negotiate(accept: string | undefined, allowTable: boolean): Negotiated {
  for (const m of parseAccept(accept)) {
    const jsonish = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    const yaml = m.type === 'application/yaml';
    if (!jsonish && !yaml) continue;
    const format = yaml ? 'yaml' : 'json';
    const as = m.params['as'];
    if (!as) return { shape: 'object', format, metaVersion: 'v1' };
    if (m.params['g'] !== 'meta.k8s.io') continue;
    const v = m.params['v'] ?? 'v1';
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table' && allowTable) return { shape: 'table', format, metaVersion: v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { shape: 'metadata', format, metaVersion: v };
  }
  throw errors.notAcceptable();
}

/** Parses a request body by Content-Type (JSON or YAML). Errors are 400/415 Status errors. */
export function parseBody(body: Buffer | undefined, contentType: string | undefined, accepted = ['application/json', 'application/yaml']): unknown {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const text = body ? body.toString('utf8') : '';
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    if (!text.trim()) throw errors.badRequest('the body of the request was empty');
    try {
      const docs = YAML.parseAllDocuments(text);
      if (docs.length !== 1) throw new Error('expected a single YAML document');
      const d = docs[0]!;
      if (d.errors.length) throw d.errors[0]!;
      return d.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    if (!text.trim()) throw errors.badRequest('the body of the request was empty');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  throw errors.unsupportedMediaType(type, accepted);
}

/** Serialises a response body in the negotiated format. */
export function serialize(obj: unknown, format: 'json' | 'yaml'): { body: string; contentType: string } {
  if (format === 'yaml') return { body: YAML.stringify(obj), contentType: 'application/yaml' };
  return { body: JSON.stringify(obj), contentType: 'application/json' };
}
