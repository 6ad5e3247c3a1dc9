// Helper process for the re-adoption test: starts a sandbox and a logging container through
// OciRuntime, prints their ids and the container's PID as JSON, and exits — as a kubelet that
// stops while its containers keep running.
// Usage: node --import tsx test/oci/start-and-exit.ts ROOT RUNDIR RUNTIME LAYER LOGDIR
import { OciRuntime } from '../../src/runtime/index.js';
import { BUSYBOX_IMAGE, busyboxImages } from './busybox-image.js';

const [root, runDir, runtime, layer, logDirectory] = process.argv.slice(2) as [string, string, 'runc' | 'crun', string, string];
const rt = new OciRuntime({ root, runDir, runtime, images: busyboxImages(layer) });
const sandboxId = await rt.runPodSandbox({ name: 'survivor', namespace: 'default', uid: 'survivor', hostname: 'survivor', logDirectory });
const containerId = await rt.createContainer(sandboxId, {
  name: 'ticker', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'while true; do echo tick; sleep 0.05; done'], logPath: 'ticker/0.log',
});
await rt.startContainer(containerId);
const status = await rt.containerStatus(containerId);
process.stdout.write(`${JSON.stringify({ sandboxId, containerId, pid: status?.pid })}\n`);
