// Upstream core/v1 pod defaulting. `defaultPodSpec` is SetDefaults_PodSpec plus what
// zz_generated.defaults calls for every PodSpec (containers, probes, volumes): it runs on pods and
// on every workload template. `defaultPod` adds SetDefaults_Pod, which upstream applies to Pod
// objects only (requests from limits, enableServiceLinks, host-network ports). Both idempotent.
import type { Container, EphemeralContainer, EnvVar } from './container.js';
import type { PodSpec } from './pod-spec.js';
import { defaultProbe, defaultLifecycleHandler } from './probe.js';
import { defaultVolume } from './volume.js';

/**
 * The tag of an image reference as upstream's parsers.ParseImageName sees it: "latest" when the
 * reference has neither tag nor digest, "" when it has only a digest.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon >= 0) return lastSegment.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** Always for `:latest` or untagged images, IfNotPresent otherwise (upstream SetDefaults_Container). */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const e of env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= 'v1';
}

/** Defaults of one container (app, init or ephemeral). */
export function defaultContainer(c: Container | EphemeralContainer): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultImagePullPolicy(c.image ?? '');
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  defaultEnv(c.env);
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  if (c.lifecycle?.postStart) defaultLifecycleHandler(c.lifecycle.postStart);
  if (c.lifecycle?.preStop) defaultLifecycleHandler(c.lifecycle.preStop);
}

/**
 * SetDefaults_Pod's rule: a container's requests default to its limits for every resource that
 * has a limit and no request. Applied to app and init containers.
 */
function defaultRequestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || Object.keys(limits).length === 0) return;
  const requests = c.resources!.requests ?? {};
  for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
  c.resources!.requests = requests;
}

/** Upstream SetDefaults_PodSpec and the generated per-field defaults; `spec` is mutated in place. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // v1 conversion keeps the deprecated alias in step with serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Upstream SetDefaults_Pod on top of defaultPodSpec: for Pod objects only, never templates. */
export function defaultPod(pod: { spec?: PodSpec }): void {
  const spec = (pod.spec ??= {});
  defaultPodSpec(spec);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    defaultRequestsFromLimits(c);
    if (spec.hostNetwork) for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  }
  spec.enableServiceLinks ??= true;
}
