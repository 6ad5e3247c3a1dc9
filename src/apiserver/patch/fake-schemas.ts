// Test fixtures: small schemas built with the api builder helpers, shaped like the upstream types
// the strategic-merge-patch tests exercise. Used only by this folder's *.test.ts files.
import {
  anonObj, anyValue, bool, int32, intOrString, list, map, obj, quantity, str, stringMap, withMeta,
  resourceSchema, type TSchema,
} from '../../api/index.js';

/**
 * Upstream's strategicpatch test type `MergeItem` (patch_test.go), unrolled to `depth` levels:
 * mergingList (merge by name), nonMergingList, mergingIntList (merge), nonMergingIntList,
 * simpleMap, replacingItem (replace), retainKeysMap (retainKeys), retainKeysMergingList
 * (merge,retainKeys by name).
 */
export function mergeItemSchema(depth = 3): TSchema {
  const inner = depth > 1 ? mergeItemSchema(depth - 1) : anonObj('leaf', { name: str(), value: str(), other: str() });
  const retainKeysItem = anonObj('RetainKeysMergeItem', {
    name: str(), value: str(), other: str(), simpleMap: stringMap(),
    mergingIntList: list(int32(), '', { strategy: 'merge' }),
    mergingList: list(inner, '', { mergeKey: 'name', strategy: 'merge' }),
    nonMergingList: list(inner),
  });
  return anonObj('MergeItem', {
    name: str(), value: str(), other: str(),
    mergingList: list(inner, '', { mergeKey: 'name', strategy: 'merge' }),
    nonMergingList: list(inner),
    mergingIntList: list(int32(), '', { strategy: 'merge' }),
    nonMergingIntList: list(int32()),
    simpleMap: stringMap(),
    replacingItem: withMeta(anyValue(), { 'x-kubernetes-patch-strategy': 'replace' }),
    retainKeysMap: withMeta(retainKeysItem, { 'x-kubernetes-patch-strategy': 'retainKeys' }),
    retainKeysMergingList: list(inner, '', { mergeKey: 'name', strategy: 'merge,retainKeys' }),
  });
}

const ContainerPort = obj('test.ContainerPort', 'port', { containerPort: int32(), protocol: str(), name: str() });
const EnvVar = obj('test.EnvVar', 'env', { name: str(), value: str() });
const Container = obj('test.Container', 'container', {
  name: str(), image: str(),
  args: list(str()),
  ports: list(ContainerPort, '', { mergeKey: 'containerPort', strategy: 'merge', listType: 'map', mapKeys: ['containerPort', 'protocol'] }),
  env: list(EnvVar, '', { mergeKey: 'name', strategy: 'merge' }),
  resources: anonObj('resources', { limits: map(quantity()), requests: map(quantity()) }),
});
const Volume = obj('test.Volume', 'volume', {
  name: str(),
  emptyDir: anonObj('emptyDir', { medium: str(), sizeLimit: quantity() }),
  hostPath: anonObj('hostPath', { path: str(), type: str() }),
  configMap: anonObj('configMap', { name: str(), optional: bool() }),
});
const Toleration = obj('test.Toleration', 'toleration', { key: str(), operator: str(), effect: str() });
const DeploymentStrategy = obj('test.DeploymentStrategy', 'strategy', {
  type: str(),
  rollingUpdate: anonObj('rollingUpdate', { maxSurge: intOrString(), maxUnavailable: intOrString() }),
});
const PodSpec = obj('test.PodSpec', 'pod spec', {
  containers: list(Container, '', { mergeKey: 'name', strategy: 'merge' }),
  initContainers: list(Container, '', { mergeKey: 'name', strategy: 'merge' }),
  volumes: list(Volume, '', { mergeKey: 'name', strategy: 'merge,retainKeys' }),
  tolerations: list(Toleration, '', { listType: 'atomic' }),
  nodeSelector: stringMap(),
  strategy: withMeta(DeploymentStrategy, { 'x-kubernetes-patch-strategy': 'retainKeys' }),
  extra: anyValue(),
});

/** A Pod-like resource: ObjectMeta (finalizers set, ownerReferences by uid) and a PodSpec. */
export const FakePodSchema = resourceSchema('test.FakePod', { group: '', version: 'v1', kind: 'FakePod' }, 'fake pod', { spec: PodSpec });
