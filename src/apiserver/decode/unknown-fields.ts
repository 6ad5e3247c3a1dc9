// fieldValidation outcomes for unknown fields, with upstream's texts:
//   Strict → 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error:
//            unknown field "spec.foo", unknown field "spec.bar"`
//   Warn   → one `Warning: 299 - "unknown field \"spec.foo\""` header per field
//   Ignore → nothing.
import { errors, type StatusError } from '../../api/index.js';
import { decodeErrorPrefix, type DecodeContext } from './decode.js';

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** Go's strconv.Quote (%q) for the field paths in these messages (ASCII control characters escaped). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The warning texts for fieldValidation=Warn, one per field (`unknown field "spec.foo"`). */
export function unknownFieldWarnings(fields: readonly string[]): string[] {
  return fields.map((f) => `unknown field ${goQuote(f)}`);
}

/**
 * The 400 for fieldValidation=Strict. `ctx` may be just the kind, in which case the version in
 * the message is `v1` (the version of every built-in group Capstan serves).
 */
export function unknownFieldsError(ctx: DecodeContext | string, fields: readonly string[]): StatusError {
  const c = typeof ctx === 'string' ? { kind: ctx, apiVersion: 'v1' } : ctx;
  return errors.badRequest(`${decodeErrorPrefix(c)}strict decoding error: ${unknownFieldWarnings(fields).join(', ')}`);
}
