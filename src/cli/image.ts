// `capstan image`: binds flags to the node's image store (as `crictl images/pull/rmi` and
// `ctr images import` do for containerd).
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ImageStore, imageStoreRoot, type AuthConfig, type ImageInfo } from '../runtime/index.js';

export const IMAGE_USAGE = `Usage: capstan image <subcommand> [flags]

Manages the images of this node's image store (<data-dir>/agent/image-store).

Subcommands:
  ls                         List images
  pull REF [--creds U:P]     Pull an image from its registry
  import FILE...             Import docker-archive or oci-archive tarballs
  rm REF...                  Remove images (by name, name@digest or id)

Flags:
  --data-dir DIR             Folder for state (default /var/lib/capstan as root, else ~/.capstan)
  --creds USER:PASSWORD      Registry credentials for pull
`;

/** crictl's sizes: decimal units with 3 significant digits (go-units HumanSize). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${Number(n.toPrecision(3))}${units[i]}`;
}

/** One row per tag (an untagged image gets one `<none>` row), as `crictl images`. */
export function formatImageTable(images: ImageInfo[]): string {
  const rows: string[][] = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const img of images) {
    const id = img.id.replace(/^sha256:/, '').slice(0, 13);
    const names = img.repoTags.length > 0 ? img.repoTags : img.repoDigests.map((d) => `${d.split('@')[0]}:<none>`);
    if (names.length === 0) names.push('<none>:<none>');
    for (const name of names) {
      const i = name.lastIndexOf(':');
      rows.push([name.slice(0, i), name.slice(i + 1), id, humanSize(img.size)]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3))).join('')).join('\n') + '\n';
}

export async function runImage(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: sub === '--help' || sub === '-h' ? [] : rest,
    options: { 'data-dir': { type: 'string' }, creds: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    process.stdout.write(IMAGE_USAGE);
    return;
  }
  const isRoot = process.getuid?.() === 0;
  const dataDir = resolve(values['data-dir'] ?? (isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan')));
  const store = new ImageStore({ root: imageStoreRoot(dataDir) });
  const fail = (msg: string) => {
    process.stderr.write(`capstan image ${sub}: ${msg}\n`);
    process.exitCode = 1;
  };
  switch (sub) {
    case 'ls':
    case 'list':
      process.stdout.write(formatImageTable(await store.listImages()));
      return;
    case 'pull': {
      if (positionals.length !== 1) return fail('want exactly one image reference');
      let auth: AuthConfig[] = [];
      if (values.creds !== undefined) {
        const i = values.creds.indexOf(':');
        if (i < 0) return fail('--creds must be USER:PASSWORD');
        auth = [{ username: values.creds.slice(0, i), password: values.creds.slice(i + 1) }];
      }
      try {
        const id = await store.pullImage(positionals[0]!, auth);
        process.stdout.write(`Image is up to date for ${id}\n`);
      } catch (err) {
        fail((err as Error).message);
      }
      return;
    }
    case 'import':
      if (positionals.length === 0) return fail('want at least one tarball');
      for (const file of positionals) {
        try {
          for (const img of await store.importArchive(resolve(file))) {
            process.stdout.write(`imported ${img.repoTags.join(', ') || '<untagged>'} ${img.id}\n`);
          }
        } catch (err) {
          fail(`${file}: ${(err as Error).message}`);
        }
      }
      return;
    case 'rm':
    case 'rmi':
      if (positionals.length === 0) return fail('want at least one image');
      for (const ref of positionals) {
        if (!(await store.imageStatus(ref))) {
          fail(`no such image "${ref}"`);
          continue;
        }
        await store.removeImage(ref);
        process.stdout.write(`Deleted: ${ref}\n`);
      }
      return;
    default:
      fail(`unknown subcommand "${sub}"\n\n${IMAGE_USAGE}`);
      process.exitCode = 2;
  }
}
