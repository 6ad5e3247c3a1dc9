// Field numbers of apps/v1: Deployment, ReplicaSet, DaemonSet, StatefulSet.
import { always, ptr, type FieldTables } from './spec.js';

export const APPS_FIELDS: FieldTables = {
  'io.k8s.api.apps.v1.DaemonSet': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.DaemonSetCondition': { type: always(1), status: always(2), lastTransitionTime: 3, reason: 4, message: 5 },
  'io.k8s.api.apps.v1.DaemonSetSpec': {
    selector: 1, template: 2, updateStrategy: 3, minReadySeconds: 4, revisionHistoryLimit: ptr(6),
  },
  'io.k8s.api.apps.v1.DaemonSetStatus': {
    currentNumberScheduled: always(1), numberMisscheduled: always(2), desiredNumberScheduled: always(3), numberReady: always(4),
    observedGeneration: 5, updatedNumberScheduled: 6, numberAvailable: 7, numberUnavailable: 8, collisionCount: ptr(9),
    conditions: 10,
  },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: 1, rollingUpdate: 2 },
  'io.k8s.api.apps.v1.Deployment': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.DeploymentCondition': {
    type: always(1), status: always(2), reason: 4, message: 5, lastUpdateTime: 6, lastTransitionTime: 7,
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    replicas: ptr(1), selector: 2, template: 3, strategy: 4, minReadySeconds: 5, revisionHistoryLimit: ptr(6), paused: 7,
    progressDeadlineSeconds: ptr(9),
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    observedGeneration: 1, replicas: 2, updatedReplicas: 3, availableReplicas: 4, unavailableReplicas: 5, conditions: 6,
    readyReplicas: 7, collisionCount: ptr(8), terminatingReplicas: ptr(9),
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: 1, rollingUpdate: 2 },
  'io.k8s.api.apps.v1.ReplicaSet': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.ReplicaSetCondition': { type: always(1), status: always(2), lastTransitionTime: 3, reason: 4, message: 5 },
  'io.k8s.api.apps.v1.ReplicaSetSpec': { replicas: ptr(1), selector: 2, template: 3, minReadySeconds: 4 },
  'io.k8s.api.apps.v1.ReplicaSetStatus': {
    replicas: always(1), fullyLabeledReplicas: 2, observedGeneration: 3, readyReplicas: 4, availableReplicas: 5, conditions: 6,
    terminatingReplicas: ptr(7),
  },
  'io.k8s.api.apps.v1.RollingUpdateDaemonSet': { maxUnavailable: 1, maxSurge: 2 },
  'io.k8s.api.apps.v1.RollingUpdateDeployment': { maxUnavailable: 1, maxSurge: 2 },
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy': { partition: ptr(1), maxUnavailable: 2 },
  'io.k8s.api.apps.v1.StatefulSet': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.StatefulSetCondition': { type: always(1), status: always(2), lastTransitionTime: 3, reason: 4, message: 5 },
  'io.k8s.api.apps.v1.StatefulSetOrdinals': { start: always(1) },
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: 1, whenScaled: 2 },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    replicas: ptr(1), selector: 2, template: 3, volumeClaimTemplates: 4, serviceName: always(5), podManagementPolicy: 6,
    updateStrategy: 7, revisionHistoryLimit: ptr(8), minReadySeconds: 9, persistentVolumeClaimRetentionPolicy: 10, ordinals: 11,
  },
  'io.k8s.api.apps.v1.StatefulSetStatus': {
    observedGeneration: 1, replicas: always(2), readyReplicas: 3, currentReplicas: 4, updatedReplicas: 5, currentRevision: 6,
    updateRevision: 7, collisionCount: ptr(9), conditions: 10, availableReplicas: always(11),
  },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: 1, rollingUpdate: 2 },
};
