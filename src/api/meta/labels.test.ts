// Mirrors upstream k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorParse,
// TestSelectorMatches, TestLexer, TestRequirementConstructor, TestToString) and
// apis/meta/v1/helper_test.go (TestLabelSelectorAsSelector). Error texts are the ones real API
// servers return for `kubectl get -l …`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SelectorParseError, andLabelSelectors, isEverything, labelSelectorExactMatch, labelSelectorFromObject, labelSelectorFromSet,
  matchesLabels, parseLabelSelector, selectorToString,
} from './labels.js';

const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('parse: accepted inputs and their canonical string (TestSelectorParse, TestToString)', () => {
  const cases: [string, string][] = [
    ['', ''], ['   ', ''], ['x=a,y=b,z=c', 'x=a,y=b,z=c'], ['x!=a,y=b', 'x!=a,y=b'], ['x=', 'x='], ['x= ', 'x='],
    ['x=,z= ', 'x=,z='], ['x= ,z= ', 'x=,z='], ['!x', '!x'], ['x>1', 'x>1'], ['x>1,z<5', 'x>1,z<5'], ['x==a', 'x==a'],
    ['z=c,x=a', 'x=a,z=c'], ['x in (b,a),y', 'x in (a,b),y'], ['x notin (a)', 'x notin (a)'], ['x in ()', 'x in ()'],
    ['x in (,a)', 'x in (,a)'], ['x in (a,,b)', 'x in (,a,b)'], ['x in (in, notin)', 'x in (in,notin)'],
    [' x  in  ( a , b ) ,  y != c ', 'x in (a,b),y!=c'], ['example.com/app=web', 'example.com/app=web'], ['a,!b', 'a,!b'],
    ['x\t=\ta', 'x=a'], ['k in (v,v)', 'k in (v)'],
  ];
  for (const [text, out] of cases) assert.equal(selectorToString(parseLabelSelector(text)), out, JSON.stringify(text));
  assert.deepEqual(parseLabelSelector('x in (b,a)').requirements, [{ key: 'x', operator: 'in', values: ['a', 'b'] }]);
  assert.deepEqual(parseLabelSelector('!x').requirements, [{ key: 'x', operator: '!', values: [] }]);
  assert.deepEqual(parseLabelSelector('x').requirements, [{ key: 'x', operator: 'exists', values: [] }]);
});

test('parse: rejected inputs carry upstream messages', () => {
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE}`],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    [',', "found ',', expected: !, identifier, or 'end of string'"],
    ['x,', "found '', expected: identifier after ','"],
    ['x in (a,b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x = (a)', "unable to parse requirement: found '(', expected: identifier"],
    ['x<a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['environment>qa', "unable to parse requirement: values[0]: Invalid value: \"qa\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART}`],
    ['a=demo-{nginx}', `unable to parse requirement: values[0][a]: Invalid value: "demo-{nginx}": ${LABEL_VALUE}`],
    ['a/b/c=d', 'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\') with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseLabelSelector(text), (e: unknown) => {
      assert.ok(e instanceof SelectorParseError, `${text}: error type`);
      assert.equal(e.message, message, text);
      return true;
    });
  }
});

test('matching (TestSelectorMatches, Requirement.Matches)', () => {
  const yes: [string, Record<string, string>][] = [
    ['', { x: 'y' }], ['x=y', { x: 'y' }], ['x=y,z=w', { x: 'y', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }], ['x', { x: 'z' }], ['!x', { y: 'z' }], ['x>1', { x: '2' }], ['x<1', { x: '0' }],
    ['x in (a,b)', { x: 'b' }], ['x notin (a)', {}], ['x!=a', {}], ['x=', { x: '' }], ['x in ()', { x: '' }], ['x<5', { x: '-4' }],
  ];
  const no: [string, Record<string, string>][] = [
    ['x=z', { x: 'y' }], ['x=y,z=w', { x: 'w', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'w' }], ['x', { y: 'z' }], ['!x', { x: 'z' }],
    ['x>1', { x: '0' }], ['x<1', { x: '2' }], ['x>1', { x: 'a' }], ['x>1', {}], ['x in (a)', {}], ['x notin (a,b)', { x: 'a' }], ['x=y', {}],
  ];
  for (const [sel, labels] of yes) assert.equal(matchesLabels(parseLabelSelector(sel), labels), true, `${sel} ~ ${JSON.stringify(labels)}`);
  for (const [sel, labels] of no) assert.equal(matchesLabels(parseLabelSelector(sel), labels), false, `${sel} !~ ${JSON.stringify(labels)}`);
  assert.equal(matchesLabels(parseLabelSelector('x!=a'), undefined), true);
  assert.equal(matchesLabels(parseLabelSelector('x'), null), false);
  // A label named like an Object.prototype member is not "present" unless set.
  assert.equal(matchesLabels(parseLabelSelector('constructor'), {}), false);
});

test('labelSelectorFromObject follows LabelSelectorAsSelector', () => {
  const nothing = labelSelectorFromObject(null);
  assert.equal(matchesLabels(nothing, {}), false);
  assert.equal(isEverything(nothing), false);
  assert.equal(selectorToString(nothing), '');
  assert.equal(matchesLabels(labelSelectorFromObject(undefined), { a: 'b' }), false);
  const everything = labelSelectorFromObject({});
  assert.equal(isEverything(everything), true);
  assert.equal(matchesLabels(everything, {}), true);
  assert.equal(isEverything(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] })), true);

  const sel = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'ready', operator: 'Exists' }, { key: 'legacy', operator: 'DoesNotExist', values: [] },
    ],
  });
  assert.equal(selectorToString(sel), 'app=web,env notin (prod),!legacy,ready,tier in (a,b)');
  assert.equal(matchesLabels(sel, { app: 'web', tier: 'a', ready: '' }), true);
  assert.equal(matchesLabels(sel, { app: 'web', tier: 'a', ready: '', legacy: 'x' }), false);
  assert.equal(matchesLabels(sel, { app: 'web', tier: 'c', ready: '' }), false);

  const bad: [Parameters<typeof labelSelectorFromObject>[0], string][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'constructor' }] }, '"constructor" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] }, 'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist'],
    [{ matchLabels: { '-a': 'b' } }, `key: Invalid value: "-a": ${NAME_PART}`],
    [{ matchLabels: { '-a': 'b c' } }, `[key: Invalid value: "-a": ${NAME_PART}, values[0][-a]: Invalid value: "b c": ${LABEL_VALUE}]`],
  ];
  for (const [obj, message] of bad) assert.throws(() => labelSelectorFromObject(obj), { name: 'SelectorParseError', message });
});

test('selector from set, exact match, and', () => {
  assert.equal(isEverything(labelSelectorFromSet({})), true);
  assert.equal(isEverything(labelSelectorFromSet(undefined)), true);
  const s = labelSelectorFromSet({ b: '2', a: '1' });
  assert.equal(selectorToString(s), 'a=1,b=2');
  assert.equal(matchesLabels(s, { a: '1', b: '2', c: '3' }), true);
  assert.equal(matchesLabels(s, { a: '1' }), false);
  assert.equal(labelSelectorExactMatch(parseLabelSelector('a=1,b in (x),c in (x,y),d!=1'), 'a'), '1');
  assert.equal(labelSelectorExactMatch(parseLabelSelector('a=1,b in (x),c in (x,y),d!=1'), 'b'), 'x');
  assert.equal(labelSelectorExactMatch(parseLabelSelector('a=1,b in (x),c in (x,y),d!=1'), 'c'), undefined);
  assert.equal(labelSelectorExactMatch(parseLabelSelector('a=1,b in (x),c in (x,y),d!=1'), 'd'), undefined);
  const both = andLabelSelectors(parseLabelSelector('b=1'), parseLabelSelector('a'));
  assert.equal(selectorToString(both), 'a,b=1');
  assert.equal(matchesLabels(andLabelSelectors(both, labelSelectorFromObject(null)), { a: '', b: '1' }), false);
});
