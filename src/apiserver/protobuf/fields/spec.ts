// The vocabulary of the field-number tables: for each upstream definition, which protobuf field
// number carries which JSON field, plus the Go facts the wire alone does not tell.
//
// Contract: table keys are JSON field names (the schema's property names) and numbers are the
// ones in upstream's generated.proto for k8s.io/api and k8s.io/apimachinery; they are wire facts
// and never change for a released API version. A definition lists every field upstream's (v1.33)
// message has, including fields Capstan's schema does not model (the decoder skips those).

/** Types a field can name when its schema is opaque (`x-kubernetes-preserve-unknown-fields`). */
export type WireType = 'string' | 'bool' | 'int32' | 'int64' | 'bytes' | 'map<string>' | `${string}[]` | `io.k8s.${string}`;

export interface FieldSpec {
  /** Upstream protobuf field number. */
  n: number;
  /**
   * The Go field is a pointer to a scalar (`*int32`, `*bool`, `*string`): when it is on the wire
   * it is set, so a zero value stays in the JSON (`replicas: 0`).
   */
  ptr?: true;
  /** The Go field is a scalar without `omitempty`: upstream's JSON shows it even when zero. */
  always?: true;
  /** The Go field is embedded (`json:",inline"`): the named definition's fields merge into this object. */
  inline?: string;
  /** The wire type, for definitions decoded without a schema (opaque in Capstan's schema). */
  type?: WireType;
}

/** A definition's fields: JSON name → field number, or the full spec when Go facts matter. */
export type FieldTable = Readonly<Record<string, number | FieldSpec>>;

/** Definition name (`io.k8s.api.core.v1.PodSpec`) → its field table. */
export type FieldTables = Readonly<Record<string, FieldTable>>;

export const ptr = (n: number): FieldSpec => ({ n, ptr: true });
export const always = (n: number): FieldSpec => ({ n, always: true });
export const inline = (n: number, definition: string): FieldSpec => ({ n, inline: definition });
export const typed = (n: number, type: WireType, flag?: 'ptr' | 'always'): FieldSpec =>
  flag === 'ptr' ? { n, type, ptr: true } : flag === 'always' ? { n, type, always: true } : { n, type };
