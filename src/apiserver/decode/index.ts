// Request-body decoder: schema-driven type checking, unknown-field pruning and defaulting, with
// the error texts of upstream's JSON decoder.
export { decodeObject, decodeErrorPrefix, type DecodeContext, type DecodeResult } from './decode.js';
export { unknownFieldsError, unknownFieldWarnings } from './unknown-fields.js';
export { MAX_NESTING_DEPTH, MAX_UNKNOWN_FIELDS } from './state.js';
export { parseGoTime } from './go-time.js';
