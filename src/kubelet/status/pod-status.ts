// Upstream generateAPIPodStatus and getPhase: the pod's API status as a pure function of the spec,
// the old status, what the runtime holds and the prober's verdicts. Called by the pod worker
// after each sync; the status manager decides whether it must be written.
import type { Pod, PodStatus } from '../../api/index.js';
import { NO_HEALTH, isSidecar, restartPolicy, type ContainerHealth } from '../pods/pod-actions.js';
import type { PodRuntimeState } from '../pods/runtime-state.js';
import { apiTime, convertContainerStatus, type APIContainerStatus, type Waiting } from './container-statuses.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
type PodCondition = NonNullable<PodStatus['conditions']>[number];

export interface PodStatusInput {
  pod: Pod;
  state: PodRuntimeState;
  now: number;
  hostIPs: string[];
  /** When the kubelet first acknowledged the pod (kept from the old status when set). */
  startTime: number;
  /** Waiting reasons by container name, set by the pod worker. */
  waiting?: ReadonlyMap<string, Waiting>;
  health?: ContainerHealth;
  readinessSucceeded?: ReadonlySet<string>;
  /** A pod-level failure decided by the worker (DeadlineExceeded). */
  failure?: { reason: string; message: string };
  /**
   * The status this kubelet last wrote (the status manager's cache): newer than the informer's copy
   * for what the kubelet owns. Conditions owned by others still come from the pod.
   */
  previous?: PodStatus;
}

/** Conditions the kubelet owns; every other condition (PodScheduled, readiness gates…) is kept as is. */
const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'];

function terminated(s: APIContainerStatus): boolean {
  return !!s.state?.terminated || !!(s.state?.waiting && s.lastState?.terminated);
}

/** Upstream getPhase. */
export function podPhase(pod: Pod, inits: APIContainerStatus[], apps: APIContainerStatus[]): PodPhase {
  const policy = restartPolicy(pod);
  const initSpecs = pod.spec?.initContainers ?? [];
  const initialized = apps.some((s) => s.state?.running || terminated(s));
  let pendingInit = 0;
  let failedInit = 0;
  initSpecs.forEach((spec, i) => {
    const s = inits[i]!;
    if (isSidecar(spec)) {
      if (!initialized && !(s.state?.running && s.started)) pendingInit++;
      return;
    }
    if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) failedInit++;
    else if (!initialized) pendingInit++;
  });
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of apps) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting && s.lastState?.terminated) {
      stopped++;
      if (s.lastState.terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (pendingInit > 0 || (failedInit > 0 && !initialized)) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    return policy === 'Never' ? 'Failed' : 'Running';
  }
  return 'Pending';
}

function names(list: string[]): string {
  return `[${list.join(' ')}]`;
}

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', ...(ok ? {} : { reason, message }) };
}

function readinessGateProblems(pod: Pod): string[] {
  const out: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = pod.status?.conditions?.find((x) => x.type === gate.conditionType);
    if (!c) out.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') out.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  return out;
}

function kubeletConditions(pod: Pod, phase: PodPhase, state: PodRuntimeState, inits: APIContainerStatus[], apps: APIContainerStatus[]): PodCondition[] {
  const initSpecs = pod.spec?.initContainers ?? [];
  const initialized = apps.some((s) => s.state?.running || terminated(s));
  const incomplete = initSpecs.filter((spec, i) => {
    const s = inits[i]!;
    if (isSidecar(spec)) return !initialized && !s.started;
    return s.state?.terminated?.exitCode !== 0;
  }).map((s) => s.name ?? '');
  const initOk = initialized || incomplete.length === 0;
  const unready = [
    ...initSpecs.filter(isSidecar).map((spec) => inits[initSpecs.indexOf(spec)]!),
    ...apps,
  ].filter((s) => !s.ready).map((s) => s.name ?? '');
  const sandbox = state.sandboxes[0];
  const conditions = [condition('PodReadyToStartContainers', sandbox?.state === 'ready')];
  if (phase === 'Succeeded') conditions.push({ type: 'Initialized', status: 'True', reason: 'PodCompleted' });
  else conditions.push(condition('Initialized', initOk, 'ContainersNotInitialized', `containers with incomplete status: ${names(incomplete)}`));
  if (phase === 'Succeeded') {
    conditions.push({ type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }, { type: 'Ready', status: 'False', reason: 'PodCompleted' });
    return conditions;
  }
  const containersReady = condition('ContainersReady', unready.length === 0, 'ContainersNotReady', `containers with unready status: ${names(unready)}`);
  conditions.push(containersReady);
  if (unready.length > 0) conditions.push({ ...containersReady, type: 'Ready' });
  else {
    const gates = readinessGateProblems(pod);
    conditions.push(condition('Ready', gates.length === 0, 'ReadinessGatesNotReady', gates.join(', ')));
  }
  return conditions;
}

/** Keeps lastTransitionTime of conditions whose status did not change; new transitions get `now`. */
function withTransitionTimes(conditions: PodCondition[], old: PodCondition[], now: number): PodCondition[] {
  return conditions.map((c) => {
    const prev = old.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : apiTime(now) };
  });
}

export function generatePodStatus(input: PodStatusInput): PodStatus {
  const { pod, state } = input;
  const api = pod.status ?? {};
  const old = input.previous ?? api;
  const convert = {
    state, waiting: input.waiting ?? new Map(), health: input.health ?? NO_HEALTH, readinessSucceeded: input.readinessSucceeded ?? new Set<string>(),
    defaultWaiting: (pod.spec?.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating',
    old: new Map([...(old.initContainerStatuses ?? []), ...(old.containerStatuses ?? [])].map((s) => [s.name ?? '', s])),
  };
  const inits = (pod.spec?.initContainers ?? []).map((c) => convertContainerStatus(c, convert, !isSidecar(c)));
  const apps = (pod.spec?.containers ?? []).map((c) => convertContainerStatus(c, convert, false));
  let phase: PodPhase = podPhase(pod, inits, apps);
  // A pod that reached a terminal phase never leaves it (upstream: the status manager refuses).
  for (const p of [api.phase, old.phase]) if (p === 'Succeeded' || p === 'Failed') phase = p;
  if (input.failure) phase = 'Failed';
  const conditions = [
    ...(api.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type ?? '')),
    ...withTransitionTimes(kubeletConditions(pod, phase, state, inits, apps), old.conditions ?? [], input.now),
  ];
  const ready = state.sandboxes.find((s) => s.state === 'ready' && s.ip);
  const podIPs = ready?.ip ? [ready.ip] : (old.podIPs ?? []).map((p) => p.ip ?? '').filter(Boolean);
  const status: PodStatus = {
    phase,
    conditions,
    ...(input.hostIPs.length > 0 ? { hostIP: input.hostIPs[0], hostIPs: input.hostIPs.map((ip) => ({ ip })) } : {}),
    ...(podIPs.length > 0 ? { podIP: podIPs[0], podIPs: podIPs.map((ip) => ({ ip })) } : {}),
    startTime: old.startTime ?? api.startTime ?? apiTime(input.startTime),
    ...(api.qosClass ? { qosClass: api.qosClass } : {}),
    ...(inits.length > 0 ? { initContainerStatuses: inits } : {}),
    containerStatuses: apps,
  };
  const failure = input.failure ?? (phase === old.phase && old.reason ? { reason: old.reason, message: old.message ?? '' } : undefined);
  if (failure) {
    status.reason = failure.reason;
    status.message = failure.message;
  }
  return status;
}
