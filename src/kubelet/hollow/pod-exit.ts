// How a hollow pod finishes. The fake runtime never exits a container by itself, so a pod asks
// for it with two annotations (a Capstan convention for tests and simulations, not upstream):
//   capstan.dev/hollow-exit-after-ms: "<ms>"  — its containers exit this long after the hollow
//                                               kubelet first saw the pod bound to its node;
//   capstan.dev/hollow-exit-code: "<code>"    — with this exit code (default 0).
// The pod then ends as the kubelet ends it (upstream getPhase): exit 0 → Succeeded unless
// restartPolicy is Always; a non-zero exit → Failed with restartPolicy Never. With Always (any
// code) or OnFailure (non-zero) the kubelet would restart the container: a hollow pod then simply
// keeps running, so those annotations have no effect there.
import type { KubeObject, Pod } from '../../api/index.js';
import type { PodRecord } from './hollow-node.js';
import type { PodSyncContext } from './pod-sync.js';
import { rfc3339 } from './pod-status.js';

export const HOLLOW_EXIT_AFTER_ANNOTATION = 'capstan.dev/hollow-exit-after-ms';
export const HOLLOW_EXIT_CODE_ANNOTATION = 'capstan.dev/hollow-exit-code';

type PodStatus = NonNullable<Pod['status']>;

export interface HollowExit {
  afterMs: number;
  exitCode: number;
  phase: 'Succeeded' | 'Failed';
}

/** The exit a pod asks for, or undefined when it runs forever (no or invalid annotations, or a restart policy that restarts it). */
export function hollowExitOf(pod: Pod): HollowExit | undefined {
  const ann = pod.metadata?.annotations ?? {};
  const after = ann[HOLLOW_EXIT_AFTER_ANNOTATION];
  if (after === undefined || !/^\d+$/.test(after)) return undefined;
  const codeText = ann[HOLLOW_EXIT_CODE_ANNOTATION] ?? '0';
  if (!/^\d+$/.test(codeText)) return undefined;
  const exitCode = Number(codeText);
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return undefined;
  if (exitCode !== 0 && policy !== 'Never') return undefined;
  return { afterMs: Number(after), exitCode, phase: exitCode === 0 ? 'Succeeded' : 'Failed' };
}

/**
 * The status the kubelet writes once every container exited with `exit.exitCode`: the terminal
 * phase, Ready/ContainersReady False with reason PodCompleted, each container terminated
 * (reason Completed or Error). `containerIDs` are the runtime ids by container name.
 */
export function exitedPodStatus(pod: Pod, exit: HollowExit, facts: { containerIDs: Map<string, string>; startedAt: number; now: number }): PodStatus {
  const old = pod.status ?? {};
  const t = rfc3339(facts.now);
  const notReady = new Set(['Ready', 'ContainersReady']);
  const conditions = (old.conditions ?? []).filter((c) => !notReady.has(c.type ?? ''));
  for (const type of notReady) conditions.push({ type, status: 'False', reason: 'PodCompleted', lastTransitionTime: t });
  const reason = exit.exitCode === 0 ? 'Completed' : 'Error';
  const containerStatuses = (pod.spec?.containers ?? []).map((c) => {
    const prev = old.containerStatuses?.find((s) => s.name === c.name);
    const containerID = facts.containerIDs.get(c.name ?? '') ?? prev?.containerID ?? '';
    return {
      name: c.name ?? '', image: c.image ?? '', imageID: prev?.imageID ?? '', containerID, restartCount: 0, lastState: {},
      ready: false, started: false,
      state: { terminated: { exitCode: exit.exitCode, reason, startedAt: rfc3339(facts.startedAt), finishedAt: t, containerID } },
    };
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...old, phase: exit.phase, conditions, containerStatuses };
}

/**
 * The pod-sync step for pods asking to exit (called after their containers started, before the
 * Running status is reported): once due, writes the exited status and returns true (the pod is
 * terminal, nothing more to do); before that, asks for a sync at the due time and returns false.
 */
export async function exitIfDue(ctx: PodSyncContext, key: string, pod: Pod, record: PodRecord): Promise<boolean> {
  const exit = hollowExitOf(pod);
  if (!exit) return false;
  const now = ctx.clock.now();
  const due = record.firstSeen + exit.afterMs;
  if (now < due) {
    ctx.requeueAfter(key, due - now);
    return false;
  }
  const status = exitedPodStatus(pod, exit, { containerIDs: record.containerIds, startedAt: record.firstSeen, now });
  await ctx.pods.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'merge', { status } as KubeObject, 'status');
  ctx.counters.podStatusWrites++;
  return true;
}
