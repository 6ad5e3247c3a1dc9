// Pod + container → the runtime's ContainerConfig (upstream kuberuntime generateContainerConfig):
// env resolved and expanded, command/args expanded, runAsNonRoot verified against the image user,
// mounts from the pod's set-up volumes, resources, security context, labels and annotations.
// Called by the pod worker before each CreateContainer; throws CreateContainerConfigError.
import type { Pod } from '../../api/index.js';
import type { Container } from './spec-types.js';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ContainerConfig, Mount } from '../../runtime/index.js';
import { containerMounts, type MountedVolume } from '../volumes/container-mounts.js';
import { makeEnvironmentVariables, expandCommandAndArgs } from './env.js';
import { containerResources, containerOOMScoreAdj } from './resources.js';
import { containerSecurityContext, imageUser, verifyRunAsNonRoot } from './security-context.js';
import { containerLabels, containerAnnotations, TERMINATION_MESSAGE_HOST_PATH_ANNOTATION } from './labels.js';
import type { NodeContext } from './node-context.js';
import { CreateContainerConfigError } from './errors.js';
import type { ObjectSource } from './object-source.js';

export interface ContainerContext {
  node: NodeContext;
  objects: ObjectSource;
  /** The pod's IPs from its sandbox, preferred family first (status.podIP(s) in the env). */
  podIPs: string[];
  /** The container's restart count (0 for the first run): the config's attempt and log file. */
  restartCount: number;
  /** ImageService.pullImage's result. */
  imageRef?: string;
  /** The image config's User (ImageInfo.user); absent means root. */
  imageUser?: string;
  /** The pod's set-up volumes (VolumeManager.setUp's result). */
  volumes: ReadonlyMap<string, MountedVolume>;
  /**
   * `<podsDir>/<uid>/containers/<name>` (VolumeManager.containerDir): when set, a fresh file there
   * is mounted at the container's terminationMessagePath, as upstream does; the pod worker reads
   * the termination message from that mount's hostPath after the container exits.
   */
  podContainerDir?: string;
}

/** Upstream makeMounts' termination-log file: unique per container instance, mode 0666. */
async function terminationLogMount(dir: string, containerPath: string): Promise<Mount> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const file = path.join(dir, randomBytes(4).toString('hex'));
  await writeFile(file, '', { mode: 0o666 });
  await chmod(file, 0o666);
  return { containerPath, hostPath: file };
}

/** Any failure is a CreateContainerConfigError (upstream wraps every generateContainerConfig error so). */
export async function containerConfigFor(pod: Pod, container: Container, ctx: ContainerContext): Promise<ContainerConfig> {
  try {
    return await buildContainerConfig(pod, container, ctx);
  } catch (err) {
    if (err instanceof CreateContainerConfigError) throw err;
    throw new CreateContainerConfigError((err as Error).message);
  }
}

async function buildContainerConfig(pod: Pod, container: Container, ctx: ContainerContext): Promise<ContainerConfig> {
  const env = await makeEnvironmentVariables(pod, container, { objects: ctx.objects, node: ctx.node, podIPs: ctx.podIPs });
  const user = imageUser(ctx.imageUser);
  verifyRunAsNonRoot(pod, container, user);
  const { command, args } = expandCommandAndArgs(container, env);
  const mounts = await containerMounts(container, ctx.volumes, env);
  let terminationLog: Mount | undefined;
  if (ctx.podContainerDir && container.terminationMessagePath) {
    terminationLog = await terminationLogMount(ctx.podContainerDir, container.terminationMessagePath);
    mounts.push(terminationLog);
  }
  const resources = containerResources(container);
  resources.oomScoreAdj = containerOOMScoreAdj(pod, container, ctx.node.memoryCapacityBytes);
  const cfg: ContainerConfig = {
    name: container.name ?? '',
    attempt: ctx.restartCount,
    image: container.image ?? '',
    env,
    mounts,
    labels: containerLabels(pod, container),
    annotations: {
      ...containerAnnotations(pod, container, ctx.restartCount),
      ...(terminationLog ? { [TERMINATION_MESSAGE_HOST_PATH_ANNOTATION]: terminationLog.hostPath } : {}),
    },
    logPath: `${container.name ?? ''}/${ctx.restartCount}.log`,
    resources,
    securityContext: containerSecurityContext(pod, container, user),
  };
  if (ctx.imageRef !== undefined) cfg.imageRef = ctx.imageRef;
  if (command) cfg.command = command;
  if (args) cfg.args = args;
  if (container.workingDir) cfg.workingDir = container.workingDir;
  if (container.stdin) cfg.stdin = true;
  if (container.stdinOnce) cfg.stdinOnce = true;
  if (container.tty) cfg.tty = true;
  return cfg;
}
