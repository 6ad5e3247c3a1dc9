// A pod's claim → its bound PersistentVolume → a path on this node (hostPath and local volumes),
// with upstream's desired-state populator checks and messages (getPVCExtractPV, getPVSpec,
// ephemeral.VolumeIsForPod). Called by the VolumeManager for persistentVolumeClaim and ephemeral
// volumes on every setUp.
import { stat } from 'node:fs/promises';
import type { Pod } from '../../api/index.js';
import type { ObjectSource } from '../podspec/object-source.js';
import type { MountedVolume } from './container-mounts.js';
import { checkHostPathType } from './host-path.js';
import { PLUGIN_HOST_PATH, PLUGIN_LOCAL } from './plugins.js';

/** claim → bound PV → its hostPath or local path (upstream getPVCExtractPV / getPVSpec messages). */
export async function claimVolume(objects: ObjectSource, pod: Pod, claimName: string, volumeName: string, readOnly: boolean, ephemeral: boolean): Promise<MountedVolume> {
  const ns = pod.metadata?.namespace ?? '';
  const fail = (msg: string) => new Error(`error processing PVC ${ns}/${claimName}: ${msg}`);
  const pvc = await objects.getPersistentVolumeClaim(ns, claimName);
  if (!pvc) throw fail(`failed to fetch PVC from API server: persistentvolumeclaims ${JSON.stringify(claimName)} not found`);
  if (pvc.metadata?.deletionTimestamp) throw fail('PVC is being deleted');
  if (pvc.status?.phase !== 'Bound') throw fail('PVC is not bound');
  const pvName = pvc.spec?.volumeName ?? '';
  if (pvName === '') throw fail('PVC has empty pvc.Spec.VolumeName');
  if (ephemeral) {
    const owned = (pvc.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata?.uid);
    if (!owned) throw new Error(`PVC ${ns}/${claimName} was not created for pod ${ns}/${pod.metadata?.name ?? ''} (pod is not owner)`);
  }
  const pv = await objects.getPersistentVolume(pvName);
  if (!pv) throw fail(`failed to fetch PV ${pvName} from API server: persistentvolumes ${JSON.stringify(pvName)} not found`);
  const ref = pv.spec?.claimRef;
  if (!ref) throw fail(`found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  if ((ref.uid ?? '') !== (pvc.metadata?.uid ?? '')) {
    throw fail(`found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${ref.uid ?? ''} does not point to claim.UID ${pvc.metadata?.uid ?? ''}`);
  }
  const ro = readOnly;
  if (pv.spec?.hostPath) {
    await checkHostPathType(pv.spec.hostPath.path ?? '', pv.spec.hostPath.type);
    return { name: volumeName, plugin: PLUGIN_HOST_PATH, hostPath: pv.spec.hostPath.path ?? '', mustMountReadOnly: ro };
  }
  const local = (pv.spec as { local?: { path: string } } | undefined)?.local;
  if (local) {
    try { await stat(local.path); } catch { throw new Error(`path ${JSON.stringify(local.path)} does not exist`); }
    return { name: volumeName, plugin: PLUGIN_LOCAL, hostPath: local.path, mustMountReadOnly: ro };
  }
  throw new Error(`persistent volume ${pvName} has a source this node does not support (only hostPath and local)`);
}
