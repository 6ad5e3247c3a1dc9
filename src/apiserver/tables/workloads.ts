// apps/v1 workloads: Deployments, ReplicaSets, DaemonSets, StatefulSets.
import { column, nameColumn, ageColumn, CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, type TablePrinter, type TableCell } from './types.js';
import { since, containerCells, formatLabelSelector, formatLabels, selectorString } from './format.js';

interface Selector { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }
interface Workload {
  metadata?: { name?: string; creationTimestamp?: string };
  spec?: {
    replicas?: number;
    selector?: Selector;
    template?: { spec?: { containers?: { name?: string; image?: string }[]; nodeSelector?: Record<string, string> } };
  };
  status?: Record<string, number | undefined>;
}

const name = (o: Workload) => o.metadata?.name ?? '';
const age = (o: Workload, now: Date) => since(o.metadata?.creationTimestamp, now);
const st = (o: Workload, field: string) => o.status?.[field] ?? 0;
const containersOf = (o: Workload) => containerCells(o.spec?.template?.spec?.containers);
const wide = (name: string, description: string) => column(name, 'string', description, 1);

export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    wide('Containers', CONTAINERS_DESCRIPTION),
    wide('Images', IMAGES_DESCRIPTION),
    wide('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.'),
  ],
  cells(d: Workload, now: Date): TableCell[] {
    const [names, images] = containersOf(d);
    return [name(d), `${st(d, 'readyReplicas')}/${d.spec?.replicas ?? 0}`, st(d, 'updatedReplicas'), st(d, 'availableReplicas'), age(d, now),
      names, images, selectorString(d.spec?.selector)];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    column('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    ageColumn(),
    wide('Containers', CONTAINERS_DESCRIPTION),
    wide('Images', IMAGES_DESCRIPTION),
    wide('Selector', 'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels.'),
  ],
  cells(rs: Workload, now: Date): TableCell[] {
    const [names, images] = containersOf(rs);
    return [name(rs), rs.spec?.replicas ?? 0, st(rs, 'replicas'), st(rs, 'readyReplicas'), age(rs, now), names, images, formatLabelSelector(rs.spec?.selector)];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node.'),
    ageColumn(),
    wide('Containers', CONTAINERS_DESCRIPTION),
    wide('Images', IMAGES_DESCRIPTION),
    wide('Selector', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels.'),
  ],
  cells(ds: Workload, now: Date): TableCell[] {
    const [names, images] = containersOf(ds);
    return [name(ds), st(ds, 'desiredNumberScheduled'), st(ds, 'currentNumberScheduled'), st(ds, 'numberReady'), st(ds, 'updatedNumberScheduled'),
      st(ds, 'numberAvailable'), formatLabels(ds.spec?.template?.spec?.nodeSelector), age(ds, now), names, images, formatLabelSelector(ds.spec?.selector)];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    wide('Containers', CONTAINERS_DESCRIPTION),
    wide('Images', IMAGES_DESCRIPTION),
  ],
  cells(ss: Workload, now: Date): TableCell[] {
    const [names, images] = containersOf(ss);
    return [name(ss), `${st(ss, 'readyReplicas')}/${ss.spec?.replicas ?? 0}`, age(ss, now), names, images];
  },
};
