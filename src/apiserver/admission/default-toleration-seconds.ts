// DefaultTolerationSeconds admission (upstream plugin/pkg/admission/defaulttolerationseconds): a
// new pod that tolerates neither node.kubernetes.io/not-ready nor node.kubernetes.io/unreachable
// (NoExecute) gets a toleration for each lasting 300 s, so the taint eviction controller waits
// five minutes before evicting it from a failed node instead of doing so at once.
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

/** Upstream --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** A toleration with this key (or no key) and NoExecute (or no) effect counts, whatever else it says. */
function covers(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
}

export function defaultTolerationSeconds(notReadySeconds = DEFAULT_TOLERATION_SECONDS, unreachableSeconds = DEFAULT_TOLERATION_SECONDS): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(a: AdmissionAttributes) {
      if (a.operation !== 'CREATE' || a.rt.group !== '' || a.rt.plural !== 'pods' || a.subresource !== '' || !a.object) return;
      const spec = (a.object.spec ?? {}) as { tolerations?: Toleration[] };
      const tolerations = spec.tolerations ?? [];
      const added: Toleration[] = [];
      if (!covers(tolerations, TAINT_NOT_READY)) added.push({ key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReadySeconds });
      if (!covers(tolerations, TAINT_UNREACHABLE)) added.push({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachableSeconds });
      if (added.length === 0) return;
      spec.tolerations = [...tolerations, ...added];
      a.object.spec = spec as typeof a.object.spec;
    },
  };
}
