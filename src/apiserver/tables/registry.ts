// Which printer serves which resource, keyed `<group>/<resource>` (`/pods` for the core group,
// `apps/deployments`). Resources not listed use the generic NAME AGE printer.
import type { TablePrinter } from './types.js';
import { podPrinter } from './pods.js';
import { nodePrinter } from './nodes.js';
import { eventPrinter } from './events.js';
import { namespacePrinter, configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { deploymentPrinter, replicaSetPrinter, daemonSetPrinter, statefulSetPrinter } from './workloads.js';
import { jobPrinter, cronJobPrinter } from './batch.js';
import { servicePrinter, endpointsPrinter, endpointSlicePrinter, ingressPrinter } from './services.js';
import { persistentVolumePrinter, persistentVolumeClaimPrinter } from './storage.js';
import { leasePrinter, priorityClassPrinter, podDisruptionBudgetPrinter, horizontalPodAutoscalerPrinter } from './cluster.js';
import { genericPrinter } from './generic.js';

/** events.k8s.io/v1 Events, read through the core/v1 Event printer (upstream converts them alike). */
const eventsV1Printer: TablePrinter = {
  columns: eventPrinter.columns,
  cells: (e: Record<string, any>, now) => eventPrinter.cells({
    metadata: e.metadata, involvedObject: e.regarding, reason: e.reason, message: e.note, type: e.type,
    count: e.deprecatedCount, firstTimestamp: e.deprecatedFirstTimestamp, lastTimestamp: e.deprecatedLastTimestamp,
    eventTime: e.eventTime, series: e.series, source: e.deprecatedSource,
    reportingComponent: e.reportingController, reportingInstance: e.reportingInstance,
  }, now),
};

export const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  ['/pods', podPrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['events.k8s.io/events', eventsV1Printer],
  ['/namespaces', namespacePrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['autoscaling/horizontalpodautoscalers', horizontalPodAutoscalerPrinter],
]);

/** The printer for a group and plural resource name; the generic one when none is registered. */
export function printerFor(group: string, resource: string): TablePrinter {
  return PRINTERS.get(`${group}/${resource}`) ?? genericPrinter;
}
