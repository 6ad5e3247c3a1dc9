// Tables mirror upstream k8s.io/apimachinery/pkg/util/validation/validation_test.go
// (TestIsDNS1123Label, TestIsDNS1123Subdomain, TestIsDNS1035Label, TestIsQualifiedName,
// TestIsValidLabelValue, TestIsConfigMapKey, TestIsValidPortName, TestIsValidPercent, TestIsValidIP…).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isCIdentifier, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isHTTPHeaderName,
  isQualifiedName, isValidCIDR, isValidIP, isValidIPv4Address, isValidIPv6Address, isValidLabelValue, isValidPathSegmentName,
  isValidPercent, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, regexError, validateNameFor,
} from './names.js';

function table(fn: (v: string) => string[], good: string[], bad: string[]): void {
  for (const v of good) assert.deepEqual(fn(v), [], `expected ${JSON.stringify(v)} to be valid`);
  for (const v of bad) assert.notDeepEqual(fn(v), [], `expected ${JSON.stringify(v)} to be invalid`);
}

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('regexError joins examples exactly as upstream (double space before "or")', () => {
  assert.equal(regexError('m', 'f'), "m (regex used for validation is 'f')");
  assert.equal(regexError('m', 'f', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 'f')");
});

test('isDNS1123Label', () => {
  table(isDNS1123Label,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)],
    ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'a'.repeat(64)]);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('Ab'), [LABEL_MSG]);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('isDNS1123Subdomain', () => {
  table(isDNS1123Subdomain,
    ['a', 'ab', 'a-1', 'a--1--2--b', '0', '1a', 'a.a', 'ab.a', 'a-1.a', 'a.1', '0.a', '1--a--b--2', '0.1', 'a.b.c.d.e',
      'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', 'a'.repeat(253)],
    ['', 'A', 'ABC', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a b', 'A.a',
      'aB.a', 'ab.A', '0.A', 'A.B.C.D.E', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', 'a'.repeat(254)]);
  assert.deepEqual(isDNS1123Subdomain('Foo'), [SUBDOMAIN_MSG]);
  assert.deepEqual(isDNS1123Subdomain('-'.repeat(254)), ['must be no more than 253 characters', SUBDOMAIN_MSG]);
});

test('isDNS1035Label', () => {
  table(isDNS1035Label, ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)],
    ['0', '01', '012', '1a', '1-a', '', 'A', 'a-', '-a', 'a_b', 'a.b', 'a b', 'a'.repeat(64)]);
  assert.deepEqual(isDNS1035Label('1a'), ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]);
});

test('isWildcardDNS1123Subdomain', () => {
  table(isWildcardDNS1123Subdomain, ['*.example.com', '*.bar.com', '*.foo.bar.com'], ['*.*.bar.com', '*.foo.*.com', '*bar.com', 'f*.bar.com', '*']);
});

test('isQualifiedName', () => {
  table(isQualifiedName,
    ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes',
      'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123',
      'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', 'a'.repeat(63), 'a'.repeat(253) + '/' + 'b'.repeat(63)],
    ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc',
      'example.com/', '/simple', 'a'.repeat(64), 'a'.repeat(254) + '/abc']);
  assert.deepEqual(isQualifiedName('-x'), [NAME_PART_MSG]);
  assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('a/'), ['name part must be non-empty', NAME_PART_MSG]);
  assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('Example.com/a'), ['prefix part ' + SUBDOMAIN_MSG]);
  assert.deepEqual(isQualifiedName('a/b/c'), ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]);
});

test('isValidLabelValue', () => {
  table(isValidLabelValue, ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), '', 'A_B.c'],
    ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
      '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64), 'a b']);
  assert.deepEqual(isValidLabelValue('a b'), [LABEL_VALUE_MSG]);
  assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('isConfigMapKey', () => {
  table(isConfigMapKey, ['a', 'good', 'good_good', 'good-good', 'good.good', '.good', 'GoOd', 'x.a.'],
    ['', '.', '..', '..bad', 'b*d', 'bad!&bad', 'a'.repeat(254)]);
  assert.deepEqual(isConfigMapKey('..bad'), ["must not start with '..'"]);
  assert.deepEqual(isConfigMapKey('.'), ["must not be '.'"]);
  assert.deepEqual(isConfigMapKey('b*d'), ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]);
});

test('isCIdentifier, isEnvVarName, isHTTPHeaderName', () => {
  table(isCIdentifier, ['a', 'ab', 'abc', 'a1', '_a', 'a_', 'a_b', 'a_1', 'a__1__2__b', '__abc_123', 'A', 'AB', 'AbC', 'A1', '_A', 'A_', 'A_B'],
    ['', '1', '123', '1a', '-', 'a-', '-a', 'a-b', 'a b', '1-1', '1_1', '1.1', 'a.b']);
  table(isEnvVarName, ['abc', 'ABC', 'AbC123', 'abc_123', 'a-b', 'a.b', '_a', '.a'], ['1a', 'a b', '$a', '..', '.', '..a', 'a=b']);
  assert.deepEqual(isEnvVarName('..'), ["must not be '..'"]);
  table(isHTTPHeaderName, ['X-Header-Name', 'a', 'a1-B'], ['', 'a b', 'a_b', 'a:b']);
});

test('isValidPortNum and isValidPortName', () => {
  for (const p of [1, 2, 1000, 16384, 32768, 65535]) assert.deepEqual(isValidPortNum(p), []);
  for (const p of [0, -1, 65536, 100000, 1.5]) assert.deepEqual(isValidPortNum(p), ['must be between 1 and 65535, inclusive']);
  table(isValidPortName, ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
    ['', 'this-is-a-very-long-port-name', 'UPPERCASE', '123', 'a~b', '-a', 'a-', 'a--b']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
  assert.deepEqual(isValidPortName('-A'), [
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)', 'must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('a'.repeat(16)), ['must be no more than 15 characters']);
});

test('isValidPercent and isValidPathSegmentName', () => {
  table(isValidPercent, ['0%', '00000%', '1%', '01%', '99%', '100%', '101%'], ['', '0', '100', '0.0%', '99.9%', 'hundred', ' 1%', '1% ', '-0%', '-1%', '+1%']);
  assert.deepEqual(isValidPercent('5'), ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isValidPathSegmentName('Any:thing ok'), []);
});

test('IP addresses and CIDRs (sloppy parser: leading zeros allowed)', () => {
  table(isValidIP, ['0.0.0.0', '1.1.1.1', '255.0.0.1', '10.9.8.7', '::', '::1', '2001:db8::ffff', '1:2:3:4:5:6:7:8', '::ffff:1.2.3.4',
    '1::2:3:4:5:6:7', '010.001.1.1', 'fe80::1'],
  ['', '1', '1.1.1', '1.1.1.1.1', '256.0.0.1', '-1.0.0.1', '1.2.3.4/32', 'a.b.c.d', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7:8::',
    'fe80::1%eth0', '12345::', ' 1.2.3.4', 'g::1']);
  assert.deepEqual(isValidIP('x'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  assert.deepEqual(isValidIPv4Address('1.2.3.4'), []);
  assert.deepEqual(isValidIPv4Address('::1'), ['must be a valid IPv4 address']);
  assert.deepEqual(isValidIPv6Address('::1'), []);
  assert.deepEqual(isValidIPv6Address('1.2.3.4'), ['must be a valid IPv6 address']);
  table(isValidCIDR, ['0.0.0.0/0', '10.0.0.0/8', '10.42.0.0/16', '1.2.3.4/32', '::/0', '2001:db8::/64', '::1/128'],
    ['', '1.2.3.4', '1.2.3.4/33', '::1/129', '1.2.3.4/-1', '1.2.3.4/a', '1.2.3/24', '/24']);
  assert.deepEqual(isValidCIDR('x'), ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
});

test('validateNameFor: object names and generateName prefixes (upstream NameIs* + maskTrailingDash)', () => {
  const cases: [Parameters<typeof validateNameFor>[0], string, boolean, boolean][] = [
    ['subdomain', 'my.app-1', false, true],
    ['subdomain', 'my-app-', false, false],
    ['subdomain', 'my-app-', true, true],
    ['subdomain', 'My-app-', true, false],
    ['subdomain', '-', true, false],
    ['label', 'web-', true, true],
    ['label', 'a.b', false, false],
    ['dns1035', 'svc-', true, true],
    ['dns1035', '1svc', false, false],
    ['pathSegment', 'Any_Name:1', false, true],
    ['pathSegment', '..', false, false],
    ['pathSegment', '..', true, true],
    ['pathSegment', 'a/b', true, false],
  ];
  for (const [kind, name, prefix, ok] of cases) {
    assert.equal(validateNameFor(kind, name, prefix).length === 0, ok, `${kind} ${name} prefix=${prefix}`);
  }
});
