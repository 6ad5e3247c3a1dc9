// NodeRestriction (upstream's admission plugin, the object-level half of node authorization):
// a kubelet (`system:node:<name>`) may create and update only its own Node (and not change its
// taints or the node-restriction.kubernetes.io/ labels once registered), only its own Lease in
// kube-node-lease, and update the status of or delete only pods bound to it. Other users pass.
import { errors, type KubeObject } from '../../api/index.js';
import { nodeIdentity } from '../auth/node-authorizer.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

const RESTRICTED_LABEL_PREFIX = 'node-restriction.kubernetes.io/';

/** upstream admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`. */
function forbidden(a: AdmissionAttributes, why: string): Error {
  const resource = a.rt.group ? `${a.rt.plural}.${a.rt.group}` : a.rt.plural;
  return errors.forbidden(`${resource} "${a.name}" is forbidden: ${why}`, { name: a.name, group: a.rt.group || undefined, kind: a.rt.plural });
}

const nodeNameOf = (o: KubeObject | undefined) => (o?.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
const restrictedLabels = (o: KubeObject | undefined) => Object.entries(o?.metadata?.labels ?? {}).filter(([k]) => k.startsWith(RESTRICTED_LABEL_PREFIX) || k.split('/')[0]!.endsWith('.node-restriction.kubernetes.io'));

export function nodeRestriction(): AdmissionPlugin {
  return {
    name: 'NodeRestriction',
    validate(a) {
      const node = nodeIdentity(a.user);
      if (!node) return;
      const key = `${a.rt.group}/${a.rt.plural}`;
      if (key === '/nodes') {
        if (a.name !== node) throw forbidden(a, `node "${node}" is not allowed to modify node "${a.name}"`);
        if (a.operation === 'CREATE' && restrictedLabels(a.object).length) {
          throw forbidden(a, `node "${node}" is not allowed to set the following labels: ${restrictedLabels(a.object).map(([k]) => k).join(', ')}`);
        }
        if (a.operation === 'UPDATE' && a.oldObject) {
          const taints = (o: KubeObject | undefined) => JSON.stringify((o?.spec as { taints?: unknown[] } | undefined)?.taints ?? []);
          if (taints(a.object) !== taints(a.oldObject)) throw forbidden(a, `node "${node}" is not allowed to modify taints`);
          const before = JSON.stringify(restrictedLabels(a.oldObject).sort());
          if (JSON.stringify(restrictedLabels(a.object).sort()) !== before) {
            throw forbidden(a, `node "${node}" is not allowed to modify labels: ${[...new Set([...restrictedLabels(a.object), ...restrictedLabels(a.oldObject)].map(([k]) => k))].join(', ')}`);
          }
        }
        return;
      }
      if (key === 'coordination.k8s.io/leases') {
        if (a.namespace !== 'kube-node-lease' || a.name !== node) throw forbidden(a, 'can only access node lease with the same name as the requesting node');
        return;
      }
      if (key === '/pods') {
        if (a.operation === 'DELETE') {
          if (nodeNameOf(a.oldObject) !== node) throw forbidden(a, `node "${node}" can only delete pods with spec.nodeName set to itself`);
          return;
        }
        if (a.operation === 'UPDATE' && a.subresource === 'status') {
          if (nodeNameOf(a.oldObject) !== node) throw forbidden(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
          return;
        }
        throw forbidden(a, `node "${node}" is not allowed to ${a.operation.toLowerCase()} pods`);
      }
    },
  };
}
