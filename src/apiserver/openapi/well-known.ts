// Upstream's fixed OpenAPI bodies for the scalar types that have a custom JSON form (Time,
// MicroTime, Quantity, IntOrString). Used by the SchemaConverter instead of any place of use,
// whose description is the field's, not the type's.
import type { Dialect, JsonSchema } from './json-schema.js';

const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
const QUANTITY_DEF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

const QUANTITY_DESCRIPTION = 'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\n'
  + 'The serialization format is:\n\n```\n<quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n'
  + '<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n'
  + '\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n'
  + '<decimalSI>       ::= m | "" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn\'t choose the capitalization.)\n\n'
  + '<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>\n```\n\n'
  + 'No matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\n'
  + 'When a Quantity is parsed from a string, it will remember the type of suffix it had, and will use the same type again when it is serialized.\n\n'
  + 'Before serializing, Quantity will be put in "canonical form". This means that Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n'
  + '- No precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\n'
  + 'The sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be serialized as "1500m" - 1.5Gi will be serialized as "1536Mi"\n\n'
  + 'Note that the quantity will NEVER be internally represented by a floating point number. That is the whole point of this exercise.\n\n'
  + 'Non-canonical values will still parse as long as they are well formed, but will be re-emitted in their canonical form. (So always use canonical form, or don\'t diff.)\n\n'
  + 'This format is intended to make it difficult to use these numbers without writing some sort of special handling code in the hopes that that will cause implementors to also use a fixed point implementation.';

const INT_OR_STRING_DESCRIPTION = 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';

/** The fixed definition body for `name` in `dialect`, or undefined when `name` is not special. */
export function wellKnownDefinition(name: string, dialect: Dialect): JsonSchema | undefined {
  switch (name) {
    case TIME:
      return { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.', type: 'string', format: 'date-time' };
    case MICRO_TIME:
      return { description: 'MicroTime is version of Time with microsecond level precision.', type: 'string', format: 'date-time' };
    case QUANTITY_DEF:
      return dialect === 'v2'
        ? { description: QUANTITY_DESCRIPTION, type: 'string' }
        : { description: QUANTITY_DESCRIPTION, oneOf: [{ type: 'string' }, { type: 'number' }] };
    case INT_OR_STRING:
      return dialect === 'v2'
        ? { description: INT_OR_STRING_DESCRIPTION, type: 'string', format: 'int-or-string' }
        : { description: INT_OR_STRING_DESCRIPTION, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    default:
      return undefined;
  }
}
