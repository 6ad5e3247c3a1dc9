// A test image without a registry: a rootfs of the host's static busybox (applet symlinks, an
// /etc/passwd and /etc/group) as the single layer, served by a minimal images port.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageInfo, ImageService } from '../../src/runtime/index.js';

export const BUSYBOX = '/bin/busybox';
export const busyboxAvailable = existsSync(BUSYBOX);

const APPLETS = ['sh', 'echo', 'sleep', 'cat', 'ls', 'id', 'hostname', 'true', 'false', 'nc', 'httpd', 'touch', 'trap', 'printf',
  'readlink', 'mount', 'env', 'pwd', 'stty', 'head', 'dd', 'grep', 'wc', 'ps', 'kill', 'mkdir', 'ip', 'tr', 'tail', 'yes', 'seq', 'date'];

export async function buildBusyboxLayer(dir: string): Promise<string> {
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  await mkdir(path.join(dir, 'etc'), { recursive: true });
  await mkdir(path.join(dir, 'tmp'), { recursive: true, mode: 0o1777 });
  await mkdir(path.join(dir, 'www'), { recursive: true });
  await mkdir(path.join(dir, 'mnt'), { recursive: true });
  await copyFile(BUSYBOX, path.join(dir, 'bin', 'busybox'));
  for (const a of APPLETS) await symlink('busybox', path.join(dir, 'bin', a)).catch(() => {});
  await writeFile(path.join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n');
  await writeFile(path.join(dir, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n');
  await writeFile(path.join(dir, 'www', 'index.html'), 'hello from the sandbox\n');
  return dir;
}

export const BUSYBOX_IMAGE = 'busybox:test';

/** The images port over one prepared layer; `overrides` adjusts the image config. */
export function busyboxImages(layerDir: string, overrides: Partial<ImageInfo> = {}): Pick<ImageService, 'imageStatus'> {
  const info: ImageInfo = {
    id: 'sha256:0000000000000000000000000000000000000000000000000000000000000001', repoTags: [BUSYBOX_IMAGE], repoDigests: [],
    size: 1, cmd: ['sh'], env: ['PATH=/bin', 'FROM_IMAGE=1'], layerDirs: [layerDir], ...overrides,
  };
  return {
    async imageStatus(image: string) {
      return image === BUSYBOX_IMAGE || image === info.id ? { ...info } : undefined;
    },
  };
}
