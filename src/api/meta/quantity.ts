// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): parsing, exact arithmetic and the
// canonical string form. A quantity is held as a signed BigInt count of nano-units: upstream rounds
// every parsed value up (away from zero) to 1n, so nano-units represent every value exactly.
//
// Used by schema decoding/validation (quantity fields), the scheduler (fits), quota and the kubelet.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity. Treat as immutable; build new ones with the functions below. */
export interface Quantity {
  /** The value times 10^9 (so `1` is 1_000_000_000n, `1m` is 1_000_000n). */
  readonly nanos: bigint;
  /** The notation to render it in, remembered from parsing as upstream does. */
  readonly format: QuantityFormat;
  /**
   * The original text when upstream would serialize it unchanged (it was already canonical by
   * upstream's fast-path test); absent when the canonical form must be computed.
   */
  readonly text?: string;
}

/** Anything callers hold a quantity as: parsed, the JSON string form, or a JSON number. */
export type QuantityLike = Quantity | string | number;

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** Upstream ErrFormatWrong. */
export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_RE}'`;
const NUMERIC_ERROR = 'unable to parse numeric part of quantity';
const SUFFIX_ERROR = "unable to parse quantity's suffix";

/** Thrown for text that is not a quantity; `message` is upstream's error text. */
export class QuantityParseError extends Error {
  override name = 'QuantityParseError';
}

const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
/** Largest decimal exponent accepted; upstream stores any int32 exponent, we cannot expand those. */
const MAX_DECIMAL_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

interface Scanned { positive: boolean; value: string; num: string; denom: string; suffix: string }

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Upstream parseQuantityString: splits sign, number (leading zeros dropped) and suffix. */
function scan(str: string): Scanned {
  const out: Scanned = { positive: true, value: '', num: '', denom: '', suffix: '' };
  const end = str.length;
  let pos = 0;
  if (str[0] === '-') { out.positive = false; pos++; } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) { out.num = '0'; out.value = '0'; return out; }
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  out.num = str.slice(pos, i);
  if (i >= end) { out.value = str; return out; }
  pos = i;
  if (out.num.length === 0) out.num = '0';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    out.denom = str.slice(pos, i);
    if (i >= end) { out.value = str; return out; }
    pos = i;
  }
  out.value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos]!)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
  out.suffix = str.slice(suffixStart);
  return out;
}

function interpretSuffix(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } | undefined {
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (Object.hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: BINARY_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Divides rounding away from zero (upstream rounds quantities "up"). */
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

/** Parses a quantity like upstream ParseQuantity; throws QuantityParseError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
  if (str === '0') return { nanos: 0n, format: 'DecimalSI', text: '0' };
  const { positive, value, num, denom, suffix } = scan(str);
  const interpreted = interpretSuffix(suffix);
  if (!interpreted) throw new QuantityParseError(SUFFIX_ERROR);
  const { base, exponent } = interpreted;
  let format = interpreted.format;
  if (base === 10 && exponent > MAX_DECIMAL_EXPONENT) throw new QuantityParseError(NUMERIC_ERROR);

  // Upstream's int64 fast path decides whether the original text is kept as the serialized form.
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (denom.length === 0) {
    multiplier = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc(exponent * 3 / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const parsed = BigInt(shifted);
      const result = parsed * multiplier;
      if (result <= INT64_MAX) {
        const nanos = (positive ? result : -result) * 10n ** BigInt(scale + 9);
        const keep = base === 2
          ? exponent % 10 === 0 && (parsed & 7n) !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return keep ? { nanos, format, text: str } : { nanos, format };
      }
    }
  }

  // Exact path: value × base^exponent, rounded up to a whole nano-unit.
  const m = /^[+-]?([0-9]*)(?:\.([0-9]*))?$/.exec(value);
  if (!m || (m[1]! + (m[2] ?? '')).length === 0) throw new QuantityParseError(NUMERIC_ERROR);
  const frac = m[2] ?? '';
  const digits = BigInt(m[1]! + frac);
  let nanos: bigint;
  if (base === 10) {
    const e = exponent - frac.length + 9;
    if (e >= 0) nanos = digits * 10n ** BigInt(e);
    // Far below 1n every non-zero value rounds up to exactly 1n; skip the huge power of ten.
    else if (-e > m[1]!.length + frac.length + 1) nanos = digits === 0n ? 0n : 1n;
    else nanos = divAway(digits, 10n ** BigInt(-e));
  } else {
    nanos = divAway(digits * (1n << BigInt(exponent)) * NANO, 10n ** BigInt(frac.length));
    if (nanos > INT64_MAX * NANO) nanos = INT64_MAX * NANO;
    if (nanos > 0n && nanos < NANO) format = 'DecimalSI';
  }
  return { nanos: positive ? nanos : -nanos, format };
}

/** Accepts a parsed quantity, its string form, or a JSON number (as the JSON decoder would see it). */
export function toQuantity(q: QuantityLike): Quantity {
  if (typeof q === 'string') return parseQuantity(q);
  if (typeof q === 'number') return parseQuantity(String(q));
  return q;
}

/** The canonical text, ignoring any remembered original text. Upstream CanonicalizeBytes. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  let abs = q.nanos < 0n ? -q.nanos : q.nanos;
  let format = q.format;
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    abs /= NANO;
    let power = 0;
    while (abs % 1024n === 0n) { abs /= 1024n; power++; }
    // Past Ei there is no suffix: keep the largest one (upstream would drop the suffix).
    for (; power > 6; power--) abs *= 1024n;
    return `${sign}${abs}${BINARY_SUFFIX_BY_POWER[power]}`;
  }
  let exp = -9;
  while (abs % 10n === 0n) { abs /= 10n; exp++; }
  while (((exp % 3) + 3) % 3 !== 0) { abs *= 10n; exp--; }
  if (format === 'DecimalExponent') return `${sign}${abs}${exp === 0 ? '' : `e${exp}`}`;
  // Past E there is no suffix: keep the largest one (upstream would drop the suffix).
  if (exp > 18) { abs *= 10n ** BigInt(exp - 18); exp = 18; }
  return `${sign}${abs}${DECIMAL_SUFFIX_BY_EXPONENT.get(exp)}`;
}

/** The serialized form upstream would emit (Quantity.String / MarshalJSON). */
export function quantityToString(q: QuantityLike): string {
  const parsed = toQuantity(q);
  return parsed.text ?? formatQuantity(parsed);
}

/** Parse then serialize: `1000m`→`1`, `0.5`→`500m`, `1024Mi`→`1Gi`, `1.5Gi`→`1536Mi`, `1e3`→`1e3`. */
export function canonicalizeQuantity(q: string | number): string {
  return quantityToString(q);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. Upstream Quantity.Cmp. */
export function compareQuantity(a: QuantityLike, b: QuantityLike): -1 | 0 | 1 {
  const x = toQuantity(a).nanos;
  const y = toQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a + b, exactly. The format is a's, or b's when a is zero (upstream Quantity.Add). */
export function addQuantity(a: QuantityLike, b: QuantityLike): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return { nanos: x.nanos + y.nanos, format: x.nanos === 0n ? y.format : x.format };
}

/** a − b, exactly (upstream Quantity.Sub). */
export function subtractQuantity(a: QuantityLike, b: QuantityLike): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return { nanos: x.nanos - y.nanos, format: x.nanos === 0n ? y.format : x.format };
}

export function isZeroQuantity(q: QuantityLike): boolean {
  return toQuantity(q).nanos === 0n;
}

/** ceil(q × 1000), rounded away from zero (upstream MilliValue), e.g. CPU in millicores. */
export function quantityToMilli(q: QuantityLike): number {
  return Number(divAway(toQuantity(q).nanos, 1_000_000n));
}

/** The value rounded up to a whole unit, away from zero (upstream Value), e.g. memory in bytes. */
export function quantityValue(q: QuantityLike): number {
  return Number(divAway(toQuantity(q).nanos, NANO));
}

/** An approximate float (upstream AsApproximateFloat64). */
export function quantityToNumber(q: QuantityLike): number {
  return Number(toQuantity(q).nanos) / 1e9;
}

/** A quantity of `milli`/1000 units (upstream NewMilliQuantity), e.g. 250 → `250m`. */
export function quantityFromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(milli) * 1_000_000n, format };
}

/** A quantity of whole units (upstream NewQuantity), e.g. 1073741824 BinarySI → `1Gi`. */
export function quantityFromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(value) * NANO, format };
}
