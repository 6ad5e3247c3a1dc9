// Mirrors upstream k8s.io/apimachinery/pkg/api/validation/objectmeta_test.go
// (TestValidateObjectMetaNamespaces, TestValidateObjectMetaOwnerReferences, TestValidateObjectMetaUpdate*,
// TestValidateAnnotations, TestValidateFinalizersPreventConflictingFinalizers) and
// apis/meta/v1/validation/validation_test.go (TestValidateLabels, TestLabelSelectorMatchExpression).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, type FieldError } from '../field-errors.js';
import {
  finalizerWarnings, validateAnnotations, validateFinalizers, validateKubeFinalizerName, validateLabels, validateLabelSelector,
  validateObjectMeta, validateObjectMetaUpdate, validateOwnerReferences,
} from './object-meta.js';

const text = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('create: name, generateName and namespace rules', () => {
  assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default' }, { namespaced: true }), []);
  assert.deepEqual(validateObjectMeta({ name: 'node-1' }, { namespaced: false }), []);
  assert.deepEqual(text(validateObjectMeta({ namespace: 'default' }, { namespaced: true })), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(text(validateObjectMeta(undefined, { namespaced: false })), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(text(validateObjectMeta({ name: 'Web', namespace: 'default' }, { namespaced: true })), [`metadata.name: Invalid value: "Web": ${SUBDOMAIN}`]);
  assert.deepEqual(text(validateObjectMeta({ name: 'web' }, { namespaced: true })), ['metadata.namespace: Required value']);
  assert.deepEqual(text(validateObjectMeta({ name: 'web', namespace: 'a.b' }, { namespaced: true })), ['metadata.namespace: Invalid value: "a.b": must not contain dots']);
  assert.deepEqual(text(validateObjectMeta({ name: 'web', namespace: 'default' }, { namespaced: false })), ['metadata.namespace: Forbidden: not allowed on this type']);
  // generateName may end in '-' (a suffix is appended); the generated name is what must be valid.
  assert.deepEqual(validateObjectMeta({ generateName: 'web-', name: 'web-x7k2p', namespace: 'ns' }, { namespaced: true }), []);
  assert.deepEqual(text(validateObjectMeta({ generateName: 'Web-', name: 'web-x7k2p', namespace: 'ns' }, { namespaced: true })),
    [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN}`]);
  assert.equal(validateObjectMeta({ name: 'a.b', namespace: 'ns' }, { namespaced: true, nameValidation: 'label' }).length, 1);
  assert.equal(validateObjectMeta({ name: '1svc', namespace: 'ns' }, { namespaced: true, nameValidation: 'dns1035' }).length, 1);
  assert.deepEqual(validateObjectMeta({ name: 'system:admin' }, { namespaced: false, nameValidation: 'pathSegment' }), []);
  assert.deepEqual(text(validateObjectMeta({ name: 'x', generation: -1 }, { namespaced: false })), ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']);
});

test('labels and annotations', () => {
  assert.deepEqual(validateLabels({ app: 'web', 'example.com/tier': '', 'a.b/c_d': 'E.f-1' }, 'metadata.labels'), []);
  assert.deepEqual(text(validateLabels({ '-bad': 'ok' }, 'metadata.labels')), [`metadata.labels: Invalid value: "-bad": ${NAME_PART}`]);
  assert.deepEqual(text(validateLabels({ good: 'bad value' }, 'metadata.labels')), [
    'metadata.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')']);
  // Annotation keys are checked case-insensitively (upstream lowercases them), values are free-form.
  assert.deepEqual(validateAnnotations({ 'Example.COM/Key': 'any value at all', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, 'metadata.annotations'), []);
  assert.deepEqual(text(validateAnnotations({ 'a/b/c': 'x' }, 'metadata.annotations')).length, 1);
  const big = { a: 'x'.repeat(256 * 1024 - 1) };
  assert.deepEqual(validateAnnotations(big, 'metadata.annotations'), []);
  assert.deepEqual(text(validateAnnotations({ ...big, b: '' }, 'metadata.annotations')), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  // Size counts UTF-8 bytes, as Go's len does.
  assert.equal(validateAnnotations({ a: 'é'.repeat(128 * 1024) }, 'metadata.annotations').length, 1);
  assert.equal(validateObjectMeta({ name: 'x', labels: { '': 'v' }, annotations: { '': 'v' } }, { namespaced: false }).length, 4);
});

test('ownerReferences', () => {
  const ok = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
  assert.deepEqual(validateOwnerReferences([ok, { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u2', controller: false }], 'metadata.ownerReferences'), []);
  assert.deepEqual(text(validateOwnerReferences([{}], 'metadata.ownerReferences')), [
    'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
    'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
    'metadata.ownerReferences.name: Invalid value: "": must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
  ]);
  assert.deepEqual(text(validateOwnerReferences([{ ...ok, apiVersion: 'a/b/c' }], 'm'))[0], 'm.apiVersion: Invalid value: "a/b/c": version must not be empty');
  const event = validateOwnerReferences([{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }], 'm');
  assert.equal(event.length, 1);
  assert.match(event[0]!.message, /: \/v1, Kind=Event is disallowed from being an owner$/);
  const two = validateOwnerReferences([ok, { ...ok, kind: 'StatefulSet', name: 'ss', uid: 'u3' }], 'metadata.ownerReferences');
  assert.equal(two.length, 1);
  assert.equal(two[0]!.field, 'metadata.ownerReferences');
  assert.match(two[0]!.message, /: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/rs and StatefulSet\/ss$/);
});

test('finalizers', () => {
  assert.deepEqual(validateFinalizers(['kubernetes', 'orphan', 'example.com/cleanup', 'custom'], 'metadata.finalizers'), []);
  assert.deepEqual(text(validateFinalizers(['orphan', 'foregroundDeletion'], 'metadata.finalizers')),
    ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set']);
  assert.deepEqual(text(validateFinalizers(['a/b/c'], 'f')).length, 1);
  assert.deepEqual(validateKubeFinalizerName('kubernetes', 'spec.finalizers[0]'), []);
  assert.deepEqual(validateKubeFinalizerName('example.com/x', 'spec.finalizers[0]'), []);
  assert.deepEqual(text(validateKubeFinalizerName('custom', 'spec.finalizers[0]')),
    ['spec.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
  assert.deepEqual(finalizerWarnings(['kubernetes', 'foregroundDeletion', 'example.com/x', 'custom']),
    ['metadata.finalizers: "custom": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers']);
});

test('managedFields', () => {
  const base = { name: 'x' };
  assert.deepEqual(validateObjectMeta({ ...base, managedFields: [{ operation: 'Apply', fieldsType: 'FieldsV1', manager: 'kubectl' }] }, { namespaced: false }), []);
  assert.deepEqual(text(validateObjectMeta({ ...base, managedFields: [{ operation: 'Patch', fieldsType: 'FieldsV2' }] }, { namespaced: false })), [
    'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
    'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
  ]);
});

test('update: immutable fields, resourceVersion, generation, finalizers while deleting', () => {
  const old = { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' };
  assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old), []);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, creationTimestamp: '2024-01-01T00:00:00.000Z' }, old), [], 'same instant');
  assert.deepEqual(text(validateObjectMetaUpdate({ ...old, name: 'b', namespace: 'other', uid: 'u2', creationTimestamp: '2025-01-01T00:00:00Z' }, old)), [
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.namespace: Invalid value: "other": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
    'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
  ]);
  assert.deepEqual(text(validateObjectMetaUpdate({ ...old, uid: undefined }, old)), ['metadata.uid: Invalid value: null: field is immutable']);
  assert.deepEqual(text(validateObjectMetaUpdate({ ...old, resourceVersion: '' }, old)), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
  assert.deepEqual(text(validateObjectMetaUpdate({ ...old, generation: 1 }, old)), ['metadata.generation: Invalid value: 1: must not be decremented']);
  assert.deepEqual(text(validateObjectMetaUpdate({ ...old, deletionGracePeriodSeconds: 0 }, old)), ['metadata.deletionGracePeriodSeconds: Invalid value: 0: field is immutable']);
  const deleting = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', deletionGracePeriodSeconds: 30, finalizers: ['a.io/x'] };
  assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), [], 'removing finalizers is allowed');
  assert.deepEqual(text(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y', 'a.io/z'] }, deleting)),
    ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.io/z", "b.io/y"}']);
  assert.deepEqual(text(validateObjectMetaUpdate({ ...old, labels: { '-x': 'y' } }, old)).length, 1, 'contents are validated too');
});

test('validateLabelSelector (metav1.LabelSelector objects)', () => {
  assert.deepEqual(validateLabelSelector(undefined, 'spec.selector'), []);
  assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }, { key: 'x', operator: 'Exists' }] }, 'spec.selector'), []);
  assert.deepEqual(text(validateLabelSelector({
    matchExpressions: [
      { key: 'a', operator: 'In', values: [] }, { key: 'b', operator: 'Exists', values: ['v'] }, { key: 'c', operator: 'Equals' },
      { key: '-d', operator: 'NotIn', values: ['bad value'] },
    ],
  }, 'spec.selector')), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector operator',
    `spec.selector.matchExpressions[3].key: Invalid value: "-d": ${NAME_PART}`,
    'spec.selector.matchExpressions[3].values[0]: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
  ]);
  assert.deepEqual(text(validateLabelSelector({ matchLabels: { a: 'b c' } }, 'spec.selector')).length, 1);
});
