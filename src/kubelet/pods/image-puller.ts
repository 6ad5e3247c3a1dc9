// Upstream images.imageManager.EnsureImageExists: pulls by imagePullPolicy (defaulted as upstream:
// Always for `:latest` or no tag, else IfNotPresent), with ErrImagePull then ImagePullBackOff on
// the kubelet's backoff keyed by pod and image, and ErrImageNeverPull for Never. Called by the pod
// worker before creating a container; records the Pulling/Pulled/Failed/BackOff events.
import type { Pod } from '../../api/index.js';
import type { Clock } from '../../client/index.js';
import { ImagePullError, type AuthConfig, type ImageService } from '../../runtime/index.js';
import type { Backoff } from './backoff.js';
import type { Container } from './runtime-state.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Upstream SetDefaults_Container's imagePullPolicy. */
export function defaultPullPolicy(image: string): PullPolicy {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon < 0 ? '' : last.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export type EnsureImageResult =
  | { ok: true; imageRef: string }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName'; message: string; retryInMs?: number };

export type ContainerEventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

export class ImagePuller {
  constructor(private readonly images: ImageService, private readonly backoff: Backoff, private readonly clock: Clock) {}

  async ensureImage(pod: Pod, container: Container, auth: () => Promise<AuthConfig[]>, event: ContainerEventSink): Promise<EnsureImageResult> {
    const image = container.image ?? '';
    if (!image) return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format` };
    const policy = (container.imagePullPolicy as PullPolicy | undefined) ?? defaultPullPolicy(image);
    const present = await this.images.imageStatus(image);
    if (present && policy !== 'Always') {
      event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, imageRef: present.id };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      event('Warning', 'Failed', 'Error: ErrImageNeverPull');
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata?.uid}_${image}`;
    const wait = this.backoff.remainingSinceUpdate(key);
    if (wait > 0) {
      const message = `Back-off pulling image "${image}"`;
      event('Normal', 'BackOff', message);
      event('Warning', 'Failed', 'Error: ImagePullBackOff');
      return { ok: false, reason: 'ImagePullBackOff', message, retryInMs: wait };
    }
    event('Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.clock.now();
    try {
      const ref = await this.images.pullImage(image, await auth());
      const ms = this.clock.now() - started;
      // Go's Duration.String at millisecond precision: `523ms`, `1.234s`.
      const took = ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
      const info = await this.images.imageStatus(image);
      event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting).${info ? ` Image size: ${info.size} bytes.` : ''}`);
      this.backoff.reset(key);
      return { ok: true, imageRef: ref };
    } catch (e) {
      this.backoff.next(key, this.clock.now());
      const detail = e instanceof ImagePullError ? e.message : (e as Error).message;
      event('Warning', 'Failed', `Failed to pull image "${image}": ${detail}`);
      event('Warning', 'Failed', 'Error: ErrImagePull');
      return { ok: false, reason: 'ErrImagePull', message: `Failed to pull image "${image}": ${detail}`, retryInMs: this.backoff.get(key) };
    }
  }
}
