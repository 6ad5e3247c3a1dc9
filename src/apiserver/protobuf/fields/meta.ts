// Field numbers of meta/v1 types every object embeds: ObjectMeta, OwnerReference, LabelSelector, Condition,
// DeleteOptions, …
import { always, ptr, type FieldTables } from './spec.js';

export const META_FIELDS: FieldTables = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition': {
    type: always(1), status: always(2), observedGeneration: 3, lastTransitionTime: 4, reason: always(5), message: always(6),
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    gracePeriodSeconds: ptr(1), preconditions: 2, orphanDependents: ptr(3), propagationPolicy: ptr(4), dryRun: 5,
    ignoreStoreReadErrorWithClusterBreakingPotential: ptr(6),
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': { key: always(1), operator: always(2), values: 3 },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': { matchLabels: 1, matchExpressions: 2 },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { key: always(1), operator: always(2), values: 3 },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    manager: 1, operation: 2, apiVersion: 3, time: 4, fieldsType: 6, fieldsV1: 7, subresource: 8,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    name: 1, generateName: 2, namespace: 3, selfLink: 4, uid: 5, resourceVersion: 6, generation: 7, creationTimestamp: 8,
    deletionTimestamp: 9, deletionGracePeriodSeconds: ptr(10), labels: 11, annotations: 12, ownerReferences: 13, finalizers: 14,
    managedFields: 17,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    kind: always(1), name: always(3), uid: always(4), apiVersion: always(5), controller: ptr(6), blockOwnerDeletion: ptr(7),
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions': { uid: ptr(1), resourceVersion: ptr(2) },
};
