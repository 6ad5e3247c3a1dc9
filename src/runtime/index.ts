// Public surface of the runtime component: the ContainerRuntime port and its implementations.
export type {
  ContainerRuntime, PodSandboxConfig, PodSandboxStatus, ContainerConfig, ContainerStatus, ContainerState, SandboxState,
  RuntimeVersion, NamespaceOptions, PortMapping, DNSConfig, Mount, LinuxContainerResources, LinuxCapabilities,
  LinuxContainerSecurityContext, ExecSyncResult, ExecOptions, StreamSession, ContainerStats, AuthConfig, ImageInfo, ImageService,
  PodNetwork, PodNetworkRequest,
} from './runtime.js';
export { ImagePullError, POD_UID_LABEL, sandboxOfPod } from './runtime.js';
export { FakeRuntime, fakeImageRef, FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, type FakeRuntimeOptions } from './fake/fake-runtime.js';
export { ImageStore, imageStoreRoot, type ImageStoreOptions, type GCResult } from './images/image-store.js';
export { credentialsForImage } from './images/credentials.js';
export { parseReference, formatReference, repositoryName, type ImageReference } from './images/reference.js';
export { planImageGC, DEFAULT_GC_POLICY, type GCPolicy, type GCImage, type GCPlan } from './images/gc-policy.js';
export { hostPlatform, type Platform } from './images/platform.js';
export { OciRuntime, type OciRuntimeOptions } from './oci/oci-runtime.js';
export { killAll, type KillAllOptions, type KillAllReport } from './oci/kill-all.js';
export { FakeImageService } from './fake/fake-image-service.js';
