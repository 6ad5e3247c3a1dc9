// Tables mirror upstream k8s.io/apimachinery/pkg/api/resource/quantity_test.go
// (TestQuantityParse, TestQuantityParseEmit, TestQuantityString alternates, invalid inputs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QUANTITY_FORMAT_ERROR, QuantityParseError, addQuantity, canonicalizeQuantity, compareQuantity, formatQuantity, parseQuantity,
  quantityFromMilli, quantityFromValue, quantityToMilli, quantityToNumber, quantityToString, quantityValue, subtractQuantity,
} from './quantity.js';

const G = 1_000_000_000n;

test('parse: value in nano-units and format (TestQuantityParse)', () => {
  const cases: [string, bigint, string][] = [
    ['0', 0n, 'DecimalSI'], ['0n', 0n, 'DecimalSI'], ['0Ki', 0n, 'BinarySI'], ['-0', 0n, 'DecimalSI'],
    ['1Ki', 1024n * G, 'BinarySI'], ['7Mi', 7n * 1024n ** 2n * G, 'BinarySI'], ['6Gi', 6n * 1024n ** 3n * G, 'BinarySI'],
    ['5n', 5n, 'DecimalSI'], ['4u', 4000n, 'DecimalSI'], ['3m', 3_000_000n, 'DecimalSI'], ['9', 9n * G, 'DecimalSI'],
    ['8k', 8000n * G, 'DecimalSI'], ['7M', 7_000_000n * G, 'DecimalSI'], ['1E', 10n ** 18n * G, 'DecimalSI'],
    ['1E-3', 1_000_000n, 'DecimalExponent'], ['1e3', 1000n * G, 'DecimalExponent'], ['1e-9', 1n, 'DecimalExponent'],
    ['1.3E+6', 1_300_000n * G, 'DecimalExponent'], ['0.5e-1', 50_000_000n, 'DecimalExponent'],
    ['0.001', 1_000_000n, 'DecimalSI'], ['0.0005k', 500_000_000n, 'DecimalSI'], ['10.035M', 10_035_000n * G, 'DecimalSI'],
    ['9.01', 9_010_000_000n, 'DecimalSI'], ['-1.5', -1_500_000_000n, 'DecimalSI'], ['+2', 2n * G, 'DecimalSI'],
    // saturate / round up to 1n, away from zero
    ['3.001n', 4n, 'DecimalSI'], ['1.1E-9', 2n, 'DecimalExponent'], ['0.0000000001', 1n, 'DecimalSI'], ['0.9n', 1n, 'DecimalSI'],
    ['0.00000012345', 124n, 'DecimalSI'], ['-0.0000000001', -1n, 'DecimalSI'], ['1e-99999999', 1n, 'DecimalExponent'],
    ['9Ei', ((1n << 63n) - 1n) * G, 'BinarySI'], ['9223372036854775807Ki', ((1n << 63n) - 1n) * G, 'BinarySI'],
    ['12E', 12n * 10n ** 18n * G, 'DecimalSI'],
    // fractional binary
    ['100.035Ki', 102435840000000n, 'BinarySI'], ['0.5Mi', 524288n * G, 'BinarySI'], ['0.05Gi', 53687091200000000n, 'BinarySI'],
    ['0.000000000001Ki', 2n, 'DecimalSI'],
    // trolls
    ['.001', 1_000_000n, 'DecimalSI'], ['.0001k', 100_000_000n, 'DecimalSI'], ['1.', G, 'DecimalSI'], ['1.G', G * G, 'DecimalSI'],
  ];
  for (const [text, nanos, format] of cases) {
    const q = parseQuantity(text);
    assert.equal(q.nanos, nanos, `${text} value`);
    assert.equal(q.format, format, `${text} format`);
  }
});

test('parse errors carry upstream messages', () => {
  const invalid = ['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', '1 ', '1i ', ' 1', ' 1i', '', '1e', '1KiB', 'K1'];
  for (const text of invalid) assert.throws(() => parseQuantity(text), QuantityParseError, JSON.stringify(text));
  assert.throws(() => parseQuantity(''), { message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
  assert.throws(() => parseQuantity('1 '), { message: QUANTITY_FORMAT_ERROR });
  assert.throws(() => parseQuantity('1i'), { message: "unable to parse quantity's suffix" });
  assert.throws(() => parseQuantity('0.1mi'), { message: "unable to parse quantity's suffix" });
  assert.throws(() => parseQuantity('1e99999'), { message: 'unable to parse numeric part of quantity' });
  // Upstream accepts a bare suffix as zero (kubernetes/apimachinery#165, never fixed); so do we.
  assert.equal(parseQuantity('Ki').nanos, 0n);
  assert.equal(parseQuantity('m').nanos, 0n);
});

test('serialized form (TestQuantityParseEmit, TestQuantityString alternates)', () => {
  const cases: [string | number, string][] = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'], ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'], ['307200Ki', '300Mi'], ['1025024Mi', '1001Gi'], ['1024Gi', '1Ti'],
    ['5000m', '5'], ['0.5', '500m'], ['0.001T', '1G'], ['1000u', '1m'], ['1.08', '1080m'], ['1080000000n', '1080m'],
    ['.001e12', '1e9'], ['0.001e0', '1e-3'], ['1000e-12', '1e-9'], ['0.3e9', '300e6'], ['00', '0'], ['0', '0'], ['-0', '0'],
    ['1000m', '1'], ['100m', '100m'], ['1e3', '1e3'], ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'], ['1025', '1025'], ['3k', '3k'],
    ['-1000m', '-1'], ['-1.5Gi', '-1536Mi'], ['512Mi', '512Mi'], ['1536', '1536'], ['1.1Ki', '1126400m'], ['2048Ki', '2Mi'],
    ['1000E', '1000E'], ['1e21', '1e21'], ['0.1m', '100u'],
    // kept verbatim because upstream's fast path keeps already-canonical text
    ['1.500', '1.500'], ['+1Ki', '+1Ki'], ['01', '01'],
    // JSON numbers
    [2, '2'], [0.5, '500m'], [1e21, '1e+21'], [-3, '-3'],
  ];
  for (const [input, out] of cases) assert.equal(canonicalizeQuantity(input), out, String(input));
  assert.equal(formatQuantity(parseQuantity('1.500')), '1500m');
  assert.throws(() => canonicalizeQuantity(Number.NaN), QuantityParseError);
});

test('compare, add, subtract are exact', () => {
  assert.equal(compareQuantity('1Gi', '1073741824'), 0);
  assert.equal(compareQuantity('1G', '1Gi'), -1);
  assert.equal(compareQuantity('500m', '0.5'), 0);
  assert.equal(compareQuantity('1n', '0'), 1);
  assert.equal(compareQuantity('-1', '0'), -1);
  assert.equal(quantityToString(addQuantity('100m', '200m')), '300m');
  assert.equal(quantityToString(addQuantity('1Gi', '512Mi')), '1536Mi');
  assert.equal(quantityToString(addQuantity('0', '1Ki')), '1Ki', 'zero takes the other format');
  assert.equal(quantityToString(addQuantity('0.1', '0.2')), '300m', 'no float drift');
  assert.equal(quantityToString(subtractQuantity('1', '250m')), '750m');
  assert.equal(quantityToString(subtractQuantity('1', '1')), '0');
});

test('conversions round away from zero like MilliValue/Value', () => {
  assert.equal(quantityToMilli('1'), 1000);
  assert.equal(quantityToMilli('250m'), 250);
  assert.equal(quantityToMilli('1n'), 1);
  assert.equal(quantityToMilli('-1n'), -1);
  assert.equal(quantityToMilli('0'), 0);
  assert.equal(quantityValue('1Gi'), 1073741824);
  assert.equal(quantityValue('1500m'), 2);
  assert.equal(quantityValue('-1500m'), -2);
  assert.equal(quantityToNumber('1500m'), 1.5);
  assert.equal(quantityToNumber('2Ki'), 2048);
  assert.equal(quantityToString(quantityFromMilli(250)), '250m');
  assert.equal(quantityToString(quantityFromValue(1073741824, 'BinarySI')), '1Gi');
  assert.equal(quantityToString(quantityFromValue(1000)), '1k');
});
