import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodes, type Node } from './node.js';

test('node: allocatable defaults to capacity; taints validated', () => {
  const node: Node = { metadata: { name: 'n1' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] }, status: { capacity: { cpu: '2' } } };
  nodes.defaults!(node);
  assert.deepEqual(node.status?.allocatable, { cpu: '2' });
  assert.deepEqual(nodes.validate!(node, { namespace: '' }), []);
  assert.equal(nodes.selectableFields!['spec.unschedulable']!(node), 'false');

  const bad: Node = { spec: { taints: [{ key: 'a', effect: 'Sometimes' }, { key: 'b', effect: 'NoSchedule' }, { key: 'b', effect: 'NoSchedule' }, { key: 'c' }] } };
  const got = nodes.validate!(bad, { namespace: '' }).map((e) => `${e.field}: ${e.message}`);
  assert.deepEqual(got, [
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
    'spec.taints[2]: Duplicate value: {"key":"b","effect":"NoSchedule"}: taints must be unique by key and effect pair',
    'spec.taints[3].effect: Required value',
  ]);
});

test('node update: podCIDRs and providerID only from unset to set', () => {
  const old: Node = { spec: { podCIDRs: ['10.42.0.0/24'], providerID: 'capstan://n1' } };
  assert.deepEqual(nodes.validateUpdate!({ spec: { podCIDRs: ['10.42.0.0/24'], providerID: 'capstan://n1' } }, old, { namespace: '' }), []);
  const errs = nodes.validateUpdate!({ spec: { podCIDRs: ['10.42.1.0/24'], providerID: 'x://y' } }, old, { namespace: '' });
  assert.deepEqual(errs.map((e) => e.field), ['spec.podCIDRs', 'spec.providerID']);
  assert.deepEqual(nodes.validateUpdate!({ spec: { podCIDRs: ['10.42.0.0/24'] } }, { spec: {} }, { namespace: '' }), []);
  const bad = nodes.validate!({ spec: { podCIDRs: ['10.42.0.0'] } }, { namespace: '' });
  assert.equal(bad[0]?.message, 'Invalid value: "10.42.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
});

test('node resources: negative capacity reported as upstream names it', () => {
  const errs = nodes.validate!({ status: { capacity: { cpu: '-1' } } }, { namespace: '' });
  assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), ['status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0']);
});
