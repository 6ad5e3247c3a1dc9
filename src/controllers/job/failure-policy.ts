// spec.podFailurePolicy (upstream pod_failure_policy.go matchPodFailurePolicy): the first rule
// matching a failed pod decides what its failure means. Exit-code rules look at terminated
// containers (init and regular) with a non-zero exit code; condition rules at the pod's
// conditions. Pure.
import type { Job, Pod } from '../../api/index.js';

export type FailureAction = 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';

export interface FailurePolicyMatch {
  /** The matched rule's action, undefined when no rule matched (the failure counts). */
  action?: FailureAction;
  /** Whether the failure counts toward backoffLimit. */
  countFailed: boolean;
  /** For FailJob: the upstream message put on the FailureTarget/Failed conditions. */
  message?: string;
}

type Rule = NonNullable<NonNullable<NonNullable<Job['spec']>['podFailurePolicy']>['rules']>[number];

function matchingContainer(pod: Pod, req: NonNullable<Rule['onExitCodes']>): { name: string; exitCode: number } | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const exitCode = s.state?.terminated?.exitCode;
    if (exitCode === undefined || exitCode === 0) continue;
    if (req.containerName && req.containerName !== s.name) continue;
    const inValues = (req.values ?? []).includes(exitCode);
    if ((req.operator === 'In') === inValues) return { name: s.name ?? '', exitCode };
  }
  return undefined;
}

export function matchPodFailurePolicy(policy: NonNullable<Job['spec']>['podFailurePolicy'], pod: Pod): FailurePolicyMatch {
  const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  for (const [i, rule] of (policy?.rules ?? []).entries()) {
    const action = rule.action as FailureAction;
    let message: string | undefined;
    if (rule.onExitCodes) {
      const c = matchingContainer(pod, rule.onExitCodes);
      if (!c) continue;
      message = `Container ${c.name} for pod ${podName} failed with exit code ${c.exitCode} matching ${action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const cond = rule.onPodConditions.find((p) => pod.status?.conditions?.some((c) => c.type === p.type && c.status === (p.status || 'True')));
      if (!cond) continue;
      message = `Pod ${podName} has condition ${cond.type} matching ${action} rule at index ${i}`;
    } else continue;
    switch (action) {
      case 'Ignore': return { action, countFailed: false };
      case 'FailJob': return { action, countFailed: true, message };
      default: return { action, countFailed: true };
    }
  }
  return { countFailed: true };
}
