// NamespaceLifecycle admission (upstream plugin of the same name): no new objects in a namespace
// that does not exist or is terminating; the system namespaces cannot be deleted.
import { errors, type KubeObject } from '../../api/index.js';
import type { AdmissionPlugin } from './chain.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** `lookup` returns the namespace object (fresh enough to see one the client just created). */
export function namespaceLifecycle(lookup: (name: string) => Promise<KubeObject | undefined>): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a) {
      if (a.rt.group === '' && a.rt.plural === 'namespaces') {
        if (a.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(a.name)) {
          throw errors.forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`, { name: a.name, kind: 'namespaces' });
        }
        return;
      }
      if (a.operation !== 'CREATE' || !a.rt.namespaced) return;
      const ns = await lookup(a.namespace);
      if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, a.namespace);
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (ns.metadata?.deletionTimestamp || phase === 'Terminating') {
        throw errors.forbidden(
          `${a.rt.group ? `${a.rt.plural}.${a.rt.group}` : a.rt.plural} "${a.object?.metadata?.name ?? ''}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`,
          { name: a.object?.metadata?.name, group: a.rt.group || undefined, kind: a.rt.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }] },
        );
      }
    },
  };
}
