// Pod volumes on the node: the VolumeManager, the atomic writer of configMap/secret/downwardAPI/
// projected volumes, hostPath type checks, and a container's mounts over the set-up volumes.
export {
  VolumeManager, VolumeSetupError, memoryVolumeSize, type VolumeManagerOptions, type VolumeFailure,
  PLUGIN_EMPTY_DIR, PLUGIN_CONFIGMAP, PLUGIN_SECRET, PLUGIN_DOWNWARD_API, PLUGIN_PROJECTED, PLUGIN_HOST_PATH, PLUGIN_LOCAL,
} from './volume-manager.js';
export { containerMounts, expandSubPathExpr, mountPropagation, type MountedVolume } from './container-mounts.js';
export { writeAtomic, cleanPayload, validatePayloadPath, type Payload, type FileProjection } from './atomic-writer.js';
export { checkHostPathType } from './host-path.js';
export { unmountUnder } from './mounts.js';
