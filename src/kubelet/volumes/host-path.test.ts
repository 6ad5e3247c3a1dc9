import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkHostPathType } from './host-path.js';

let root = '';
let server: Server | undefined;
after(async () => {
  server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

test('hostPath type checks with upstream messages', async () => {
  root = await mkdtemp(path.join(tmpdir(), 'host-path-'));
  const dir = path.join(root, 'dir');
  const file = path.join(root, 'file');
  const sock = path.join(root, 'sock');
  await mkdir(dir);
  await writeFile(file, 'x');
  server = createServer();
  await new Promise<void>((r) => server!.listen(sock, r));

  for (const type of [undefined, '', 'Directory', 'DirectoryOrCreate']) await checkHostPathType(dir, type);
  for (const type of ['File', 'FileOrCreate']) await checkHostPathType(file, type);
  await checkHostPathType(sock, 'Socket');
  await checkHostPathType('/dev/null', 'CharDevice');

  const fails: [string, string, string][] = [
    [file, 'Directory', `hostPath type check failed: ${file} is not a directory`],
    [file, 'DirectoryOrCreate', `hostPath type check failed: ${file} is not a directory`],
    [path.join(root, 'missing'), 'Directory', `hostPath type check failed: ${path.join(root, 'missing')} is not a directory`],
    [dir, 'File', `hostPath type check failed: ${dir} is not a file`],
    [dir, 'FileOrCreate', `hostPath type check failed: ${dir} is not a file`],
    [file, 'Socket', `hostPath type check failed: ${file} is not a socket file`],
    [file, 'CharDevice', `hostPath type check failed: ${file} is not a character device`],
    ['/dev/null', 'BlockDevice', 'hostPath type check failed: /dev/null is not a block device'],
    [file, 'Weird', 'Weird is an invalid volume type'],
    [`${root}/../x`, 'Directory', `invalid HostPath \`${root}/../x\`: must not contain '..'`],
  ];
  for (const [p, type, message] of fails) await assert.rejects(checkHostPathType(p, type), { message }, `${type} ${p}`);

  const newDir = path.join(root, 'new/nested');
  await checkHostPathType(newDir, 'DirectoryOrCreate');
  assert.equal((await stat(newDir)).isDirectory(), true);
  const newFile = path.join(root, 'new-file');
  await checkHostPathType(newFile, 'FileOrCreate');
  assert.equal((await stat(newFile)).isFile(), true);
  assert.equal((await stat(newFile)).size, 0);
});
