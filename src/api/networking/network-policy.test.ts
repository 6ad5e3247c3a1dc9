import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPolicies, type NetworkPolicy } from './network-policy.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('networkpolicy defaults: port protocol TCP, policyTypes from rules', () => {
  const np: NetworkPolicy = { spec: { ingress: [{ ports: [{ port: 80 }] }], egress: [{}] } };
  networkPolicies.defaults!(np);
  assert.deepEqual(np.spec, { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], egress: [{}], policyTypes: ['Ingress', 'Egress'] });
  assert.deepEqual(networkPolicies.validate!(np, ctx), []);
  const ingressOnly: NetworkPolicy = { spec: { podSelector: { matchLabels: { app: 'db' } } } };
  networkPolicies.defaults!(ingressOnly);
  assert.deepEqual(ingressOnly.spec?.policyTypes, ['Ingress']);
});

test('networkpolicy validation as upstream', () => {
  const cases: [NetworkPolicy, string[]][] = [
    [{ spec: { ingress: [{ from: [{}] }] } }, ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    [{ spec: { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] } }, ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer']],
    [{ spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.1.0/24'] } }] }] } }, ['spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`']],
    [{ spec: { ingress: [{ ports: [{ port: 100, endPort: 90 }] }] } }, ['spec.ingress[0].ports[0].endPort: Invalid value: 100: must be greater than or equal to `port`']],
    [{ spec: { ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] } }, ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric']],
    [{ spec: { policyTypes: ['Ingress', 'Sideways'] } }, ['spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"']],
  ];
  for (const [np, want] of cases) assert.deepEqual(show(networkPolicies.validate!(np, ctx)), want);
});
