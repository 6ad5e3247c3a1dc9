// The kubelet's pod workers over the fake runtime against a real in-process API server: phases,
// CrashLoopBackOff, liveness restarts, readiness, init containers in order, graceful deletion with
// its grace period, image pull failures, and a new set of workers adopting running containers.
// Containers "exit" through the fake runtime's hooks: a command `exit N` ends right after start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { poll } from '../support/poll.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { pods, isStatusError, type KubeObject, type Pod } from '../../src/api/index.js';
import { FakeImageService, FakeRuntime, ImagePullError } from '../../src/runtime/index.js';
import { PodWorkers, simplePodDeps } from '../../src/kubelet/index.js';

const NODE = 'node-a';
let server: TestServer;
let admin: Client;
let kubeletClient: Client;
let runtime: FakeRuntime;
let images: FakeImageService;
let workers: PodWorkers;
let stop: AbortController;
let running: Promise<void>;
const errors: unknown[] = [];
/** Container names in the order they started. */
const startOrder: string[] = [];
/** Exec commands seen (probes, hooks), with a switchable answer per command. */
const execAnswers = new Map<string, number>();
const execSeen: string[] = [];
/** Pod uids whose volumes were set up / torn down. */
const volumeCalls: string[] = [];

function deps() {
  const base = simplePodDeps('127.0.0.1');
  return {
    ...base,
    volumes: {
      async setUp(pod: Pod) { volumeCalls.push(`setUp ${pod.metadata?.uid}`); return base.volumes.setUp(pod); },
      async tearDown(uid: string) { volumeCalls.push(`tearDown ${uid}`); return base.volumes.tearDown(uid); },
    },
  };
}

function startWorkers(): void {
  stop = new AbortController();
  workers = new PodWorkers({
    client: kubeletClient, nodeName: NODE, runtime, images, deps: deps(), hostIPs: ['192.168.50.2'],
    relistPeriodMs: 200, resyncPeriodMs: 2000, backoffInitialMs: 1000, backoffMaxMs: 4000, onError: (e) => errors.push(e),
  });
  running = workers.start(stop.signal);
}

before(async () => {
  server = await startTestServer({ memory: true });
  admin = new Client(transportFromKubeconfig(server.kubeconfig));
  kubeletClient = new Client(transportFromKubeconfig(server.kubeconfig));
  runtime = new FakeRuntime();
  images = new FakeImageService();
  runtime.onStart = (id, config) => {
    startOrder.push(config.name);
    if (config.command?.[0] === 'exit') setImmediate(() => runtime.finishContainer(id, Number(config.command![1] ?? 0)));
    // `fail-once N`: the first run exits N, later runs exit 0.
    if (config.command?.[0] === 'fail-once') setImmediate(() => runtime.finishContainer(id, config.attempt ? 0 : Number(config.command![1])));
  };
  runtime.execHandler = (_id, cmd) => {
    const key = cmd.join(' ');
    execSeen.push(key);
    return { exitCode: execAnswers.get(key) ?? 0, stdout: Buffer.from(execAnswers.get(key) ? 'not ok' : 'ok'), stderr: Buffer.alloc(0) };
  };
  startWorkers();
});

after(async () => {
  stop.abort();
  await running;
  if (process.env.KUBELET_DEBUG) console.error(errors);
  kubeletClient.close();
  admin.close();
  await server.stop();
});

const podApi = () => admin.resource(pods);
const getPod = async (name: string) => (await podApi().get('default', name)) as Pod;

async function createPod(name: string, spec: NonNullable<Pod['spec']>): Promise<Pod> {
  return (await podApi().create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, ...spec } } as KubeObject)) as Pod;
}

function condition(p: Pod, type: string): string | undefined {
  return p.status?.conditions?.find((c) => c.type === type)?.status;
}

type EventSeen = { reason: string; message: string; count?: number; involvedObject: { name: string; fieldPath?: string }; source?: { component?: string; host?: string } };

async function eventsFor(name: string): Promise<EventSeen[]> {
  await workers.recorder.flush();
  const list = await admin.resource({ group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' }).list('default');
  return (list.items as unknown as EventSeen[]).filter((e) => e.involvedObject.name === name);
}

test('a pod goes Pending → Running → Succeeded, with status and events as upstream', async () => {
  const created = await createPod('once', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] });
  assert.equal(created.status?.phase, 'Pending');
  const runningPod = await poll('Running and Ready', () => getPod('once'), (p) => p.status?.phase === 'Running' && condition(p, 'Ready') === 'True');
  const cs = runningPod.status!.containerStatuses![0]!;
  assert.ok(cs.state?.running?.startedAt);
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.restartCount, 0);
  assert.match(cs.containerID!, /^fake:\/\//);
  assert.equal(runningPod.status!.hostIP, '192.168.50.2');
  assert.equal(runningPod.status!.podIP, '127.0.0.1');
  assert.ok(runningPod.status!.startTime);
  assert.equal(condition(runningPod, 'PodReadyToStartContainers'), 'True');
  runtime.finishContainer(cs.containerID!, 0);
  const done = await poll('Succeeded', () => getPod('once'), (p) => p.status?.phase === 'Succeeded');
  assert.equal(done.status!.containerStatuses![0]!.state?.terminated?.reason, 'Completed');
  assert.equal(done.status!.conditions!.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
  const events = await eventsFor('once');
  const reasons = events.map((e) => e.reason);
  for (const r of ['Pulling', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `${r} in ${reasons.join(',')}`);
  assert.ok(events.some((e) => e.message === 'Pulling image "busybox:1.36"'));
  assert.ok(events.some((e) => e.message === 'Created container: c'));
  assert.ok(events.some((e) => e.message === 'Started container c' && e.involvedObject.fieldPath === 'spec.containers{c}'));
  assert.deepEqual(events[0]!.source, { component: 'kubelet', host: NODE });
  // Terminal: not restarted.
  const sandboxes = (await runtime.listPodSandbox()).filter((s) => s.config.uid === created.metadata!.uid);
  await poll('sandbox stopped', async () => (await runtime.listPodSandbox()).filter((s) => s.config.uid === created.metadata!.uid), (l) => l.every((s) => s.state === 'notready'));
  assert.equal(sandboxes.length, 1);
});

test('a crashing container goes into CrashLoopBackOff with a growing restart count', async () => {
  const created = await createPod('crash', { containers: [{ name: 'c', image: 'busybox:1.36', command: ['exit', '1'] }] });
  const uid = created.metadata!.uid!;
  let sawBackOff = '';
  await poll('restartCount ≥ 2', async () => {
    const p = await getPod('crash');
    const w = p.status?.containerStatuses?.[0]?.state?.waiting;
    if (w?.reason === 'CrashLoopBackOff') sawBackOff = w.message ?? '';
    return p;
  }, (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 && sawBackOff !== '');
  assert.match(sawBackOff, new RegExp(`^back-off \\d+s restarting failed container=c pod=crash_default\\(${uid}\\)$`));
  const p = await poll('in back-off with lastState', () => getPod('crash'), (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
  const cs = p.status!.containerStatuses![0]!;
  assert.equal(cs.lastState?.terminated?.exitCode, 1);
  assert.equal(cs.lastState?.terminated?.reason, 'Error');
  assert.equal(p.status!.phase, 'Running');
  assert.equal(condition(p, 'Ready'), 'False');
  const events = await eventsFor('crash');
  assert.ok(events.some((e) => e.reason === 'BackOff' && e.message === `Back-off restarting failed container c in pod crash_default(${uid})`));
  // Repeats are aggregated into one Event with a count, as upstream's correlator does.
  const createdEvents = events.filter((e) => e.reason === 'Created');
  assert.equal(createdEvents.length, 1);
  assert.ok((createdEvents[0]!.count ?? 0) >= 3, `count ${createdEvents[0]!.count}`);
  await podApi().delete('default', 'crash', { gracePeriodSeconds: 0 });
});

test('restartPolicy OnFailure: a failed run is restarted, a successful one ends the pod Succeeded', async () => {
  await createPod('onfailure', { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36', command: ['fail-once', '3'] }] });
  const p = await poll('Succeeded', () => getPod('onfailure'), (x) => x.status?.phase === 'Succeeded');
  const cs = p.status!.containerStatuses![0]!;
  assert.equal(cs.restartCount, 1);
  assert.equal(cs.state?.terminated?.exitCode, 0);
  assert.equal(cs.lastState?.terminated?.exitCode, 3);
});

test('restartPolicy Never: a failed container fails the pod and is not restarted', async () => {
  await createPod('never-fails', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command: ['exit', '4'] }] });
  const p = await poll('Failed', () => getPod('never-fails'), (x) => x.status?.phase === 'Failed');
  assert.equal(p.status!.containerStatuses![0]!.state?.terminated?.exitCode, 4);
  assert.equal(p.status!.containerStatuses![0]!.restartCount, 0);
});

test('a failing liveness probe restarts the container', async () => {
  execAnswers.set('live-check', 1);
  await createPod('liveness', { containers: [{ name: 'c', image: 'busybox:1.36', livenessProbe: { exec: { command: ['live-check'] }, periodSeconds: 1, failureThreshold: 1 } }] });
  const p = await poll('restarted', () => getPod('liveness'), (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  execAnswers.delete('live-check');
  assert.ok(p.status!.containerStatuses![0]!.lastState?.terminated, 'the killed run is lastState');
  const events = await poll('events', () => eventsFor('liveness'), (l) => l.some((e) => e.reason === 'Killing'));
  assert.ok(events.some((e) => e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: not ok'));
  assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Container c failed liveness probe, will be restarted'));
});

test('readiness probe results toggle Ready', async () => {
  execAnswers.set('ready-check', 1);
  await createPod('ready', { containers: [{ name: 'c', image: 'busybox:1.36', readinessProbe: { exec: { command: ['ready-check'] }, periodSeconds: 1, failureThreshold: 1 } }] });
  const notReady = await poll('Running, not ready', () => getPod('ready'), (p) => p.status?.phase === 'Running' && execSeen.includes('ready-check'));
  assert.equal(condition(notReady, 'Ready'), 'False');
  assert.equal(notReady.status!.conditions!.find((c) => c.type === 'Ready')?.message, 'containers with unready status: [c]');
  execAnswers.delete('ready-check');
  await poll('Ready', () => getPod('ready'), (p) => condition(p, 'Ready') === 'True' && condition(p, 'ContainersReady') === 'True');
  execAnswers.set('ready-check', 1);
  await poll('not Ready again', () => getPod('ready'), (p) => condition(p, 'Ready') === 'False');
  execAnswers.delete('ready-check');
  const p = await getPod('ready');
  assert.equal(p.status!.containerStatuses![0]!.restartCount, 0, 'readiness never restarts');
});

test('init containers run first, one after the other', async () => {
  await createPod('inits', {
    initContainers: [{ name: 'i1', image: 'busybox:1.36', command: ['exit', '0'] }, { name: 'i2', image: 'busybox:1.36', command: ['exit', '0'] }],
    containers: [{ name: 'app', image: 'busybox:1.36' }],
  });
  const p = await poll('Running', () => getPod('inits'), (x) => x.status?.phase === 'Running');
  const order = startOrder.filter((n) => ['i1', 'i2', 'app'].includes(n));
  assert.deepEqual(order.slice(0, 3), ['i1', 'i2', 'app']);
  assert.deepEqual(p.status!.initContainerStatuses!.map((s) => s.state?.terminated?.reason), ['Completed', 'Completed']);
  assert.equal(condition(p, 'Initialized'), 'True');
});

test('graceful deletion: preStop, then stop with the deletion grace period, then the kubelet confirms', async () => {
  const created = await createPod('graceful', {
    terminationGracePeriodSeconds: 20,
    containers: [{ name: 'web', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['pre-stop'] } } } }],
  });
  const uid = created.metadata!.uid!;
  const p = await poll('Running', () => getPod('graceful'), (x) => x.status?.phase === 'Running');
  const id = p.status!.containerStatuses![0]!.containerID!;
  await podApi().delete('default', 'graceful', { gracePeriodSeconds: 9 });
  await poll('gone', async () => {
    try {
      await getPod('graceful');
      return false;
    } catch (e) {
      return isStatusError(e) && e.code === 404;
    }
  }, (gone) => gone);
  assert.ok(execSeen.includes('pre-stop'));
  const stopCall = runtime.stops.find((s) => s.id === id);
  assert.ok(stopCall, 'container was stopped');
  // The deletion's 9 s (not the spec's 20), less what preStop took, at least upstream's 2 s.
  assert.ok(stopCall.timeoutSeconds <= 9 && stopCall.timeoutSeconds >= 2, `grace ${stopCall.timeoutSeconds}`);
  assert.equal((await runtime.listPodSandbox()).filter((s) => s.config.uid === uid).length, 0, 'sandbox removed');
  assert.ok(volumeCalls.indexOf(`setUp ${uid}`) < volumeCalls.indexOf(`tearDown ${uid}`), volumeCalls.join(', '));
  const events = await eventsFor('graceful');
  assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Stopping container web'));
});

test('every resync of a running pod sets its volumes up again (their contents follow their objects)', async () => {
  const created = await createPod('refresh', { containers: [{ name: 'c', image: 'busybox:1.36' }] });
  const uid = created.metadata!.uid!;
  await poll('Running', () => getPod('refresh'), (p) => p.status?.phase === 'Running');
  const setUps = () => volumeCalls.filter((c) => c === `setUp ${uid}`).length;
  const before = setUps();
  // The workers resync every 2 s: the running pod is set up again without any change of its own.
  await poll('setUp on a later sync', async () => setUps(), (n) => n >= before + 2, 20_000);
  await podApi().delete('default', 'refresh', { gracePeriodSeconds: 0 });
});

test('image pulls: ErrImagePull then ImagePullBackOff, Never without the image, recovery once the image can be pulled', async () => {
  images.failures.set('registry.example/missing:1', new ImagePullError('manifest unknown', 'NotFound'));
  await createPod('pull', { containers: [{ name: 'c', image: 'registry.example/missing:1' }] });
  await poll('ErrImagePull or ImagePullBackOff', () => getPod('pull'),
    (p) => ['ErrImagePull', 'ImagePullBackOff'].includes(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''));
  await poll('ImagePullBackOff', () => getPod('pull'), (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
  images.failures.delete('registry.example/missing:1');
  await poll('Running after the back-off', () => getPod('pull'), (p) => p.status?.phase === 'Running');
  await createPod('never', { containers: [{ name: 'c', image: 'local/only:1', imagePullPolicy: 'Never' }] });
  const p = await poll('ErrImageNeverPull', () => getPod('never'), (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull');
  assert.equal(p.status!.containerStatuses![0]!.state!.waiting!.message, 'Container image "local/only:1" is not present with pull policy of Never');
});

test('a failed postStart hook kills the container (FailedPostStartHook) and it is restarted', async () => {
  execAnswers.set('post-start', 1);
  await createPod('poststart', { containers: [{ name: 'c', image: 'busybox:1.36', lifecycle: { postStart: { exec: { command: ['post-start'] } } } }] });
  const events = await poll('FailedPostStartHook', () => eventsFor('poststart'), (l) => l.some((e) => e.reason === 'FailedPostStartHook') && l.some((e) => e.reason === 'Killing'));
  execAnswers.delete('post-start');
  const failed = events.find((e) => e.reason === 'FailedPostStartHook')!;
  assert.match(failed.message, /^Exec lifecycle hook \(\["post-start"\]\) for Container "c" in Pod "poststart_default\(.+\)" failed - error: /);
  assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'FailedPostStartHook'));
  await poll('running after a good hook', () => getPod('poststart'), (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined && (p.status.containerStatuses[0]!.restartCount ?? 0) >= 1);
});

test('activeDeadlineSeconds: the pod fails with DeadlineExceeded and its containers stop', async () => {
  const created = await createPod('deadline', { activeDeadlineSeconds: 1, containers: [{ name: 'c', image: 'busybox:1.36' }] });
  const p = await poll('Failed', () => getPod('deadline'), (x) => x.status?.phase === 'Failed');
  assert.equal(p.status!.reason, 'DeadlineExceeded');
  assert.equal(p.status!.message, 'Pod was active on the node longer than the specified deadline');
  await poll('stopped', async () => (await runtime.listContainers()).filter((c) => c.labels?.['io.kubernetes.pod.uid'] === created.metadata!.uid),
    (l) => l.every((c) => c.state === 'exited'));
});

test('a sidecar starts first and the next init container waits for its startup probe', async () => {
  execAnswers.set('sidecar-started', 1);
  await createPod('sidecar', {
    initContainers: [
      { name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', startupProbe: { exec: { command: ['sidecar-started'] }, periodSeconds: 1, failureThreshold: 30 } },
      { name: 'setup', image: 'busybox:1.36', command: ['exit', '0'] },
    ],
    containers: [{ name: 'main', image: 'busybox:1.36' }],
  });
  await poll('sidecar probed', async () => execSeen.filter((c) => c === 'sidecar-started').length, (n) => n >= 2);
  assert.ok(!startOrder.includes('setup'), 'setup waits for the sidecar');
  const pending = await getPod('sidecar');
  assert.equal(pending.status?.phase, 'Pending');
  execAnswers.delete('sidecar-started');
  const p = await poll('Running with the sidecar', () => getPod('sidecar'), (x) => x.status?.phase === 'Running' && condition(x, 'Ready') === 'True');
  const order = startOrder.filter((n) => ['proxy', 'setup', 'main'].includes(n));
  assert.deepEqual(order.slice(0, 3), ['proxy', 'setup', 'main']);
  assert.equal(p.status!.initContainerStatuses![0]!.state?.running !== undefined, true, 'the sidecar keeps running');
});

test('a config the builder rejects waits with CreateContainerConfigError', async () => {
  await createPod('badconfig', { containers: [{ name: 'c', image: 'busybox:1.36', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] });
  const p = await poll('CreateContainerConfigError', () => getPod('badconfig'), (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
  assert.match(p.status!.containerStatuses![0]!.state!.waiting!.message!, /valueFrom/);
  assert.equal(p.status!.phase, 'Pending');
});

test('changing a running pod\'s image restarts its container with the new image', async () => {
  await createPod('reimage', { containers: [{ name: 'c', image: 'busybox:1.36' }] });
  const first = await poll('Running', () => getPod('reimage'), (p) => p.status?.phase === 'Running');
  const id = first.status!.containerStatuses![0]!.containerID;
  await podApi().patch('default', 'reimage', 'merge', { spec: { containers: [{ name: 'c', image: 'busybox:1.37' }] } });
  const p = await poll('new image running', () => getPod('reimage'),
    (x) => x.status?.containerStatuses?.[0]?.image === 'busybox:1.37' && x.status.containerStatuses[0]!.state?.running !== undefined);
  assert.notEqual(p.status!.containerStatuses![0]!.containerID, id);
  assert.equal(p.status!.containerStatuses![0]!.restartCount, 1);
  const events = await eventsFor('reimage');
  assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Container c definition changed, will be restarted'));
});

test('what the runtime holds for pods that no longer exist is cleaned up (force deletion, strays)', async () => {
  const created = await createPod('forced', { containers: [{ name: 'c', image: 'busybox:1.36' }] });
  await poll('Running', () => getPod('forced'), (p) => p.status?.phase === 'Running');
  await podApi().delete('default', 'forced', { gracePeriodSeconds: 0 });
  const stray = await runtime.runPodSandbox({ name: 'stray', namespace: 'default', uid: 'no-such-pod', labels: { 'io.kubernetes.pod.uid': 'no-such-pod' } });
  await runtime.startContainer(await runtime.createContainer(stray, { name: 'c', image: 'busybox:1.36' }));
  await poll('runtime cleaned', () => runtime.listPodSandbox(),
    (l) => !l.some((s) => s.config.uid === created.metadata!.uid || s.id === stray));
});

test('new pod workers over the same runtime adopt running containers without restarting them', async () => {
  const before = await poll('liveness pod running', () => getPod('liveness'), (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined);
  const cs = before.status!.containerStatuses![0]!;
  const stopsBefore = runtime.stops.length;
  stop.abort();
  await running;
  startWorkers();
  await workers.waitForSync();
  // Make the new workers sync the pod at least once, then look again after a few relists.
  await podApi().patch('default', 'liveness', 'merge', { metadata: { labels: { touched: 'yes' } } });
  await poll('adopted, same container', () => getPod('liveness'), (p) => p.metadata?.labels?.touched === 'yes');
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 200));
  const after = await getPod('liveness');
  assert.equal(after.status!.containerStatuses![0]!.containerID, cs.containerID);
  assert.equal(after.status!.containerStatuses![0]!.restartCount, cs.restartCount);
  assert.equal(runtime.stops.length, stopsBefore, 'nothing was stopped');
  // The adopted container still restarts with its count continuing.
  runtime.finishContainer(cs.containerID!, 2);
  await poll('restart continues the count', () => getPod('liveness'), (p) => p.status?.containerStatuses?.[0]?.restartCount === (cs.restartCount ?? 0) + 1);
});
