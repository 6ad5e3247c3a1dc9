// Mirrors upstream k8s.io/apimachinery/pkg/fields/selector_test.go (TestSelectorParse,
// TestSelectorMatches, TestSplitTerms, TestSplitTerm, TestEscapeValue, TestUnescapeValue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFieldSelectorFields, escapeFieldSelectorValue, fieldSelectorExactMatch, fieldSelectorFromSet, fieldSelectorRequirements,
  fieldSelectorToString, isEmptyFieldSelector, matchesFields, parseFieldSelector,
} from './fields.js';
import { SelectorParseError } from './labels.js';

test('parse: accepted inputs, sorted terms, escapes', () => {
  const cases: [string, string][] = [
    ['', ''], ['x=a,y=b,z=c', 'x=a,y=b,z=c'], ['x!=a,y=b', 'x!=a,y=b'], ['z=c,x=a', 'x=a,z=c'], ['x==a', 'x=a'], [',x=a,', 'x=a'],
    ['x=', 'x='], ['x=a\\,b', 'x=a\\,b'], ['x=a\\=b', 'x=a\\=b'], ['x=a\\\\b', 'x=a\\\\b'], ['metadata.name=my-pod', 'metadata.name=my-pod'],
    ['!x=a', '!x=a'],
  ];
  for (const [text, out] of cases) assert.equal(fieldSelectorToString(parseFieldSelector(text)), out, text);
  assert.deepEqual(parseFieldSelector('x=a\\,b\\=c\\\\d').requirements, [{ field: 'x', operator: '=', value: 'a,b=c\\d' }]);
  assert.deepEqual(parseFieldSelector('spec.nodeName!=').requirements, [{ field: 'spec.nodeName', operator: '!=', value: '' }]);
  assert.deepEqual(parseFieldSelector(' a = b').requirements, [{ field: ' a ', operator: '=', value: ' b' }], 'no trimming');
  assert.equal(isEmptyFieldSelector(parseFieldSelector('')), true);
});

test('parse: rejected inputs carry upstream messages', () => {
  const cases: [string, string][] = [
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name!==hldr', 'invalid field selector: unescaped character in value: 61'],
    ['x=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseFieldSelector(text), (e: unknown) => e instanceof SelectorParseError && e.message === message, text);
  }
});

test('matching: missing fields read as empty', () => {
  const fields: Record<string, string> = { 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': '' };
  const get = (name: string): string | undefined => fields[name];
  const yes = ['', 'metadata.name=web', 'metadata.name==web', 'status.phase!=Pending', 'spec.nodeName=', 'spec.unknown=', 'metadata.name=web,status.phase=Running'];
  const no = ['metadata.name=db', 'status.phase!=Running', 'spec.nodeName!=', 'spec.unknown=x', 'metadata.name=web,status.phase=Failed'];
  for (const s of yes) assert.equal(matchesFields(parseFieldSelector(s), get), true, s);
  for (const s of no) assert.equal(matchesFields(parseFieldSelector(s), get), false, s);
  assert.equal(matchesFields(fieldSelectorFromSet({ 'metadata.name': 'web' }), get), true);
});

test('supported-field check, requirements, exact match, escaping', () => {
  const sel = parseFieldSelector('status.phase=Running,spec.nodeName=n1');
  assert.deepEqual(fieldSelectorRequirements(sel).map((r) => r.field), ['spec.nodeName', 'status.phase']);
  assert.doesNotThrow(() => checkFieldSelectorFields(sel, ['metadata.name', 'spec.nodeName', 'status.phase']));
  assert.throws(() => checkFieldSelectorFields(sel, ['metadata.name', 'spec.nodeName']), { name: 'SelectorParseError', message: 'field label not supported: status.phase' });
  assert.equal(fieldSelectorExactMatch(sel, 'spec.nodeName'), 'n1');
  assert.equal(fieldSelectorExactMatch(parseFieldSelector('spec.nodeName!=n1'), 'spec.nodeName'), undefined);
  assert.equal(escapeFieldSelectorValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
  assert.equal(parseFieldSelector(`x=${escapeFieldSelectorValue('a,b=c\\d')}`).requirements[0]!.value, 'a,b=c\\d');
});
