// A container's effective security settings (upstream securitycontext.DetermineEffectiveSecurityContext
// and kuberuntime determineEffectiveSecurityContext / verifyRunAsNonRoot). Pure: the image's user
// comes from the caller (ImageInfo.user).
import type { Pod } from '../../api/index.js';
import type { Container, SecurityContext } from './spec-types.js';
import type { LinuxContainerSecurityContext, NamespaceOptions } from '../../runtime/index.js';
import { CreateContainerConfigError } from './errors.js';
import { formatPod } from './node-context.js';

/** Pod-level settings, overridden field by field by the container's. */
export function effectiveSecurityContext(pod: Pod, container: Container): SecurityContext {
  const p = pod.spec?.securityContext ?? {};
  const c = container.securityContext ?? {};
  const out: SecurityContext = {};
  for (const k of ['seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'appArmorProfile'] as const) {
    if (p[k] !== undefined) (out as Record<string, unknown>)[k] = p[k];
  }
  for (const [k, v] of Object.entries(c)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * The image's user as the CRI reports it (containerd getUserFromImage): a numeric uid, or a
 * name; an image without a user runs as root (uid 0).
 */
export function imageUser(user: string | undefined): { uid?: number; username?: string } {
  if (!user) return { uid: 0 };
  const u = user.split(':')[0]!;
  if (/^[0-9]+$/.test(u)) return { uid: Number(u) };
  return u === '' ? { uid: 0 } : { username: u };
}

/** Upstream verifyRunAsNonRoot; throws CreateContainerConfigError with upstream's messages. */
export function verifyRunAsNonRoot(pod: Pod, container: Container, image: { uid?: number; username?: string }): void {
  const sc = effectiveSecurityContext(pod, container);
  if (!sc.runAsNonRoot) return;
  if (sc.runAsUser !== undefined) {
    if (sc.runAsUser === 0) {
      throw new CreateContainerConfigError(`container's runAsUser breaks non-root policy (pod: ${JSON.stringify(formatPod(pod))}, container: ${container.name})`);
    }
    return;
  }
  if (image.uid === 0) {
    throw new CreateContainerConfigError(`container has runAsNonRoot and image will run as root (pod: ${JSON.stringify(formatPod(pod))}, container: ${container.name})`);
  }
  if (image.uid === undefined && image.username) {
    throw new CreateContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root (pod: ${JSON.stringify(formatPod(pod))}, container: ${container.name})`);
  }
}

/** Upstream NamespacesForPod: hostNetwork/hostPID/hostIPC/shareProcessNamespace → CRI namespace modes. */
export function namespacesForPod(pod: Pod): NamespaceOptions {
  const s = pod.spec;
  return {
    network: s?.hostNetwork ? 'node' : 'pod',
    pid: s?.hostPID ? 'node' : s?.shareProcessNamespace ? 'pod' : 'container',
    ipc: s?.hostIPC ? 'node' : 'pod',
  };
}

/**
 * Upstream determineEffectiveSecurityContext: the merged context converted to the CRI's; the
 * image's uid or user name when runAsUser is unset; fsGroup then supplementalGroups as extra
 * groups; noNewPrivs when allowPrivilegeEscalation is false.
 */
export function containerSecurityContext(pod: Pod, container: Container, image: { uid?: number; username?: string }): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const out: LinuxContainerSecurityContext = {};
  if (sc.capabilities) {
    out.capabilities = {};
    if (sc.capabilities.add) out.capabilities.add = [...sc.capabilities.add];
    if (sc.capabilities.drop) out.capabilities.drop = [...sc.capabilities.drop];
  }
  if (sc.privileged !== undefined) out.privileged = sc.privileged;
  if (sc.readOnlyRootFilesystem !== undefined) out.readonlyRootfs = sc.readOnlyRootFilesystem;
  if (sc.runAsUser !== undefined) out.runAsUser = sc.runAsUser;
  else if (image.uid !== undefined) out.runAsUser = image.uid;
  else if (image.username) out.runAsUsername = image.username;
  if (sc.runAsGroup !== undefined) out.runAsGroup = sc.runAsGroup;
  out.namespaceOptions = namespacesForPod(pod);
  const psc = pod.spec?.securityContext;
  const groups: number[] = [];
  if (psc?.fsGroup !== undefined) groups.push(psc.fsGroup);
  for (const g of psc?.supplementalGroups ?? []) groups.push(g);
  if (groups.length > 0) out.supplementalGroups = groups;
  out.noNewPrivs = sc.allowPrivilegeEscalation === undefined ? false : !sc.allowPrivilegeEscalation;
  return out;
}

/** The pod's sysctls (spec.securityContext.sysctls), for the sandbox. */
export function podSysctls(pod: Pod): Record<string, string> | undefined {
  const list = pod.spec?.securityContext?.sysctls ?? [];
  if (list.length === 0) return undefined;
  return Object.fromEntries(list.map((s) => [s.name, s.value]));
}
