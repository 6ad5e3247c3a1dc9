// Public surface of the runtime component: the ContainerRuntime port and its implementations.
export type {
  ContainerRuntime, PodSandboxConfig, PodSandboxStatus, ContainerConfig, ContainerStatus, ContainerState, SandboxState,
  RuntimeVersion, NamespaceOptions, PortMapping, DNSConfig, Mount, LinuxContainerResources, LinuxCapabilities,
  LinuxContainerSecurityContext, ExecSyncResult, ExecOptions, StreamSession, ContainerStats, AuthConfig, ImageInfo, ImageService,
  PodNetwork, PodNetworkRequest,
} from './runtime.js';
export { ImagePullError } from './runtime.js';
export { FakeRuntime, fakeImageRef, FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, type FakeRuntimeOptions } from './fake/fake-runtime.js';
export { FakeImageService } from './fake/fake-image-service.js';
