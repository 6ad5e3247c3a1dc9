// The in-memory twin of an image store: images are names in a map, pulls succeed at once unless a
// test made them fail. Used by kubelet tests; nothing is downloaded.
import { ImagePullError, type AuthConfig, type ImageInfo, type ImageService } from '../runtime.js';
import { fakeImageRef } from './fake-runtime.js';

export class FakeImageService implements ImageService {
  private readonly images = new Map<string, ImageInfo>();
  /** Images whose pulls fail, with the error to throw (tests remove the entry to let pulls succeed). */
  readonly failures = new Map<string, ImagePullError>();
  /** Every pull asked for, in order, with the credentials given. */
  readonly pulls: { image: string; auth?: AuthConfig[] }[] = [];

  /** Makes `image` present locally, as if pulled or imported before. */
  addImage(image: string): string {
    const id = fakeImageRef(image).replace(/^fake:\/\//, '');
    this.images.set(image, { id, repoTags: [image], repoDigests: [], size: 1024, layerDirs: [] });
    return id;
  }

  async pullImage(image: string, auth?: AuthConfig[]): Promise<string> {
    this.pulls.push({ image, auth });
    const failure = this.failures.get(image);
    if (failure) throw failure;
    return this.addImage(image);
  }

  async imageStatus(image: string): Promise<ImageInfo | undefined> {
    const found = this.images.get(image) ?? [...this.images.values()].find((i) => i.id === image);
    return found && { ...found };
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...this.images.values()].map((i) => ({ ...i }));
  }

  async removeImage(image: string): Promise<void> {
    this.images.delete(image);
  }

  async imageFsInfo(): Promise<{ usedBytes: number; capacityBytes: number; availableBytes: number }> {
    const used = this.images.size * 1024;
    return { usedBytes: used, capacityBytes: 100 << 30, availableBytes: (100 << 30) - used };
  }
}
