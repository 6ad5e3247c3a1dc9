// Streaming benchmark (not a test): the real kubectl through the API server to the kubelet
// server (local test backend), per kubectl version: `get pod` for scale, `exec -- true`
// (session set-up and tear-down), and `exec` printing 64 MiB (stream throughput).
// Run: node --import tsx bench/streaming-bench.ts [versions, default 1.27,1.33]
import { execFile } from 'node:child_process';
import { startStreamingFixture, POD } from '../test/streaming/fixture.js';
import { kubectlPath } from '../test/support/kubectl.js';

const versions = (process.argv[2] ?? '1.27,1.33').split(',');
const f = await startStreamingFixture();
try {
  f.backend.startContainer(f.pod, 'app', ['sh', '-c', 'while read l; do echo "$l"; done']);
  const run = (v: string, args: string[]) => new Promise<number>((resolve, reject) => {
    const t = performance.now();
    execFile(kubectlPath(v), ['--kubeconfig', f.server.kubeconfig, '--cache-dir', `${f.server.dataDir}/cache-${v}`, ...args], { maxBuffer: 1 << 30 },
      (err) => (err ? reject(err) : resolve(performance.now() - t)));
  });
  const median = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(0);
  for (const v of versions) {
    await run(v, ['get', 'pods']);
    const get: number[] = [];
    const exec: number[] = [];
    const big: number[] = [];
    for (let i = 0; i < 7; i++) get.push(await run(v, ['get', 'pod', POD]));
    for (let i = 0; i < 7; i++) exec.push(await run(v, ['exec', POD, '-c', 'app', '--', 'true']));
    for (let i = 0; i < 3; i++) big.push(await run(v, ['exec', POD, '-c', 'app', '--', 'head', '-c', '67108864', '/dev/zero']));
    console.log(`kubectl ${v}: get pod p50 ${median(get)} ms; exec true p50 ${median(exec)} ms; exec 64 MiB stdout p50 ${median(big)} ms`);
  }
} finally {
  await f.stop();
}
