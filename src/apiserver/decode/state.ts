// Per-call decoding state: where we are (for Go-style error context and unknown-field paths),
// the first recoverable error, and the unknown fields seen. One instance per decodeObject call.

/**
 * Go's JSON parser refuses documents nested deeper than this (encoding/json maxNestingDepth);
 * the decoder does the same instead of exhausting the stack.
 */
export const MAX_NESTING_DEPTH = 10_000;

/** Upstream keeps at most this many strict-decoding (unknown field) errors. */
export const MAX_UNKNOWN_FIELDS = 100;

/** A map key on the path: part of unknown-field paths, never of Go's struct-field context. */
export class MapKey {
  constructor(readonly key: string) {}
}

/** Aborts decoding at once (Go: an error returned by a type's UnmarshalJSON, or a syntax error). */
export class FatalDecodeError extends Error {}

export class DecodeState {
  /** Field names (string), list indexes (number) and map keys (MapKey) from the root. */
  readonly path: (string | number | MapKey)[] = [];
  /** Go name of the struct whose field is being decoded (`DeploymentSpec`); '' at the root. */
  struct = '';
  /** Container nesting depth of the value being decoded. */
  depth = 0;
  /** First recoverable type error (Go decodes on and reports the earliest one at the end). */
  saved: string | undefined;
  readonly unknownFields: string[] = [];

  /** Go's UnmarshalTypeError text for the current position. */
  typeErrorText(jsonValue: string, goType: string): string {
    const fields: string[] = [];
    for (const seg of this.path) if (typeof seg === 'string') fields.push(seg);
    if (this.struct === '' && fields.length === 0) return `json: cannot unmarshal ${jsonValue} into Go value of type ${goType}`;
    return `json: cannot unmarshal ${jsonValue} into Go struct field ${this.struct}.${fields.join('.')} of type ${goType}`;
  }

  /** Records a recoverable type error; the caller drops the value. Always returns undefined. */
  typeError(jsonValue: string, goType: string): undefined {
    if (this.saved === undefined) this.saved = this.typeErrorText(jsonValue, goType);
    return undefined;
  }

  /** Records a recoverable error with a fixed message (e.g. bad base64). */
  error(message: string): undefined {
    if (this.saved === undefined) this.saved = message;
    return undefined;
  }

  fatal(message: string): never {
    throw new FatalDecodeError(message);
  }

  fatalTypeError(jsonValue: string, goType: string): never {
    throw new FatalDecodeError(this.typeErrorText(jsonValue, goType));
  }

  tooDeep(): never {
    throw new FatalDecodeError('exceeded max depth');
  }

  /** Upstream's strict path of the current position: `spec.containers[0]`, `data.key`. */
  strictPath(): string {
    let out = '';
    for (const seg of this.path) {
      if (typeof seg === 'number') out += `[${seg}]`;
      else {
        const name = typeof seg === 'string' ? seg : seg.key;
        out += out === '' ? name : `.${name}`;
      }
    }
    return out;
  }

  addUnknownField(key: string): void {
    if (this.unknownFields.length >= MAX_UNKNOWN_FIELDS) return;
    const prefix = this.strictPath();
    this.unknownFields.push(prefix === '' ? key : `${prefix}.${key}`);
  }
}

/** How Go's decoder names a JSON value in type errors. */
export function jsonKind(v: unknown): string {
  switch (typeof v) {
    case 'string': return 'string';
    case 'number': return 'number';
    case 'boolean': return 'bool';
    default: return Array.isArray(v) ? 'array' : 'object';
  }
}

/** Sets an own property even for the key `__proto__` (which plain assignment would not). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
