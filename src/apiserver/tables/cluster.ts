// Leases, PriorityClasses, PodDisruptionBudgets and HorizontalPodAutoscalers.
import { column, nameColumn, ageColumn, type TablePrinter, type TableCell } from './types.js';
import { since } from './format.js';

interface Meta { metadata?: { name?: string; creationTimestamp?: string } }
const name = (o: Meta) => o.metadata?.name ?? '';
const age = (o: Meta, now: Date) => since(o.metadata?.creationTimestamp, now);

export const leasePrinter: TablePrinter = {
  columns: [nameColumn(), column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'), ageColumn()],
  cells: (l: Meta & { spec?: { holderIdentity?: string } }, now): TableCell[] => [name(l), l.spec?.holderIdentity ?? '', age(l, now)],
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    column('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    ageColumn(),
    column('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  ],
  cells: (pc: Meta & { value?: number; globalDefault?: boolean; preemptionPolicy?: string }, now): TableCell[] =>
    [name(pc), pc.value ?? 0, pc.globalDefault ?? false, age(pc, now), pc.preemptionPolicy ?? ''],
};

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  cells(pdb: Meta & { spec?: { minAvailable?: number | string; maxUnavailable?: number | string }; status?: { disruptionsAllowed?: number } }, now: Date): TableCell[] {
    const text = (v: number | string | undefined) => (v === undefined || v === null ? 'N/A' : String(v));
    return [name(pdb), text(pdb.spec?.minAvailable), text(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0, age(pdb, now)];
  },
};

interface MetricTarget { averageUtilization?: number; averageValue?: string; value?: string }
interface MetricValue { averageUtilization?: number; averageValue?: string; value?: string }
interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: MetricTarget };
  containerResource?: { name?: string; target?: MetricTarget };
  pods?: { target?: MetricTarget };
  object?: { target?: MetricTarget };
  external?: { target?: MetricTarget };
}
interface MetricStatus {
  resource?: { current?: MetricValue };
  containerResource?: { current?: MetricValue };
  pods?: { current?: MetricValue };
  object?: { current?: MetricValue };
  external?: { current?: MetricValue };
}
interface HPA extends Meta {
  spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number; metrics?: MetricSpec[] };
  status?: { currentReplicas?: number; currentMetrics?: MetricStatus[] };
}

/** One TARGETS entry, as upstream formatHPAMetrics renders each metric type. */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  const unknown = '<unknown>';
  const valueOrAverage = (target: MetricTarget | undefined, current: MetricValue | undefined, present: boolean) => {
    if (target?.averageValue !== undefined) return `${(present && current?.averageValue) || unknown}/${target.averageValue} (avg)`;
    return `${(present && current?.value) || unknown}/${target?.value ?? ''}`;
  };
  switch (spec.type) {
    case 'External': return valueOrAverage(spec.external?.target, status?.external?.current, !!status?.external);
    case 'Object': return valueOrAverage(spec.object?.target, status?.object?.current, !!status?.object);
    case 'Pods': return `${(status?.pods && status.pods.current?.averageValue) || unknown}/${spec.pods?.target?.averageValue ?? ''}`;
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      if (src?.target?.averageValue !== undefined) return `${src.name}: ${(cur && cur.current?.averageValue) || unknown}/${src.target.averageValue}`;
      const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : unknown;
      const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      return `${src?.name}: ${current}/${target}`;
    }
    default: return '<unknown type>';
  }
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn(),
  ],
  cells(hpa: HPA, now: Date): TableCell[] {
    const metrics = hpa.spec?.metrics ?? [];
    const statuses = hpa.status?.currentMetrics ?? [];
    const list = metrics.map((m, i) => formatMetric(m, statuses[i]));
    const targets = list.length === 0 ? '<none>' : list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
    const ref = `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`;
    const minPods = hpa.spec?.minReplicas !== undefined && hpa.spec.minReplicas !== null ? String(hpa.spec.minReplicas) : '<unset>';
    return [name(hpa), ref, targets, minPods, hpa.spec?.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0, age(hpa, now)];
  },
};
