// The documents built from the real catalogue: shared definitions carry the type's own
// description and keywords, places of use carry theirs beside the reference, as upstream's
// /openapi/v2 and /openapi/v3 do (e.g. DeploymentSpec.strategy: description and
// `x-kubernetes-patch-strategy: retainKeys` next to the DeploymentStrategy reference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RESOURCES, PodSpecSchema, DeploymentStrategySchema, ObjectReferenceSchema, type ResourceType,
} from '../../api/index.js';
import { buildOpenApiV2 } from './v2.js';
import { buildOpenApiV3 } from './v3.js';

type Doc = Record<string, any>;

const resources = RESOURCES as readonly ResourceType[];
const v2 = buildOpenApiV2(resources, { title: 'Kubernetes', version: 'v1.31.0' }) as Doc;
const v3 = buildOpenApiV3(resources);
const v3Docs = new Map([...v3.documents].map(([key, doc]) => [key, JSON.parse(doc.json) as Doc]));
const core = v3Docs.get('api/v1')!.components.schemas as Doc;
const apps = v3Docs.get('apis/apps/v1')!.components.schemas as Doc;

const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';
const DEPLOYMENT_STRATEGY = 'io.k8s.api.apps.v1.DeploymentStrategy';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const podSpecUse = ((resources.find((r) => r.group === '' && r.kind === 'Pod')!.schema as Doc).properties.spec as Doc).description as string;
const strategyUse = 'The deployment strategy to use to replace existing pods with new ones.';

test('PodSpec: the definition is the type, Pod.spec the field (v2 and v3)', () => {
  assert.match(PodSpecSchema.description!, /^PodSpec is a description of a pod/);
  assert.match(podSpecUse, /^Specification of the desired behavior of the pod/);
  assert.equal(v2.definitions[POD_SPEC].description, PodSpecSchema.description);
  assert.equal(core[POD_SPEC].description, PodSpecSchema.description);
  assert.deepEqual(v2.definitions['io.k8s.api.core.v1.Pod'].properties.spec, { $ref: `#/definitions/${POD_SPEC}`, description: podSpecUse });
  assert.deepEqual(core['io.k8s.api.core.v1.Pod'].properties.spec, { allOf: [{ $ref: `#/components/schemas/${POD_SPEC}` }], description: podSpecUse });
});

test('DeploymentSpec.strategy carries retainKeys beside the reference; DeploymentStrategy does not', () => {
  assert.deepEqual(v2.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy, {
    $ref: `#/definitions/${DEPLOYMENT_STRATEGY}`, description: strategyUse, 'x-kubernetes-patch-strategy': 'retainKeys',
  });
  assert.deepEqual(apps['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy, {
    allOf: [{ $ref: `#/components/schemas/${DEPLOYMENT_STRATEGY}` }], description: strategyUse, 'x-kubernetes-patch-strategy': 'retainKeys',
  });
  for (const def of [v2.definitions[DEPLOYMENT_STRATEGY], apps[DEPLOYMENT_STRATEGY]]) {
    assert.equal(def.description, DeploymentStrategySchema.description);
    assert.equal(def['x-kubernetes-patch-strategy'], undefined);
  }
});

test('PersistentVolumeSpec.claimRef is granular at the use; ObjectReference stays atomic', () => {
  const ref = v2.definitions['io.k8s.api.core.v1.PersistentVolumeSpec'].properties.claimRef;
  assert.equal(ref.$ref, '#/definitions/io.k8s.api.core.v1.ObjectReference');
  assert.equal(ref['x-kubernetes-map-type'], 'granular');
  assert.equal(core['io.k8s.api.core.v1.PersistentVolumeSpec'].properties.claimRef['x-kubernetes-map-type'], 'granular');
  assert.equal(v2.definitions['io.k8s.api.core.v1.ObjectReference']['x-kubernetes-map-type'], 'atomic');
  assert.equal(v2.definitions['io.k8s.api.core.v1.ObjectReference'].description, ObjectReferenceSchema.description);
});

test('meta/v1 DeleteOptions is one definition, the well-known one, also for the Eviction body', () => {
  for (const defs of [v2.definitions, core]) {
    const options = defs[DELETE_OPTIONS];
    assert.ok(options['x-kubernetes-group-version-kind'].some((g: Doc) => g.group === 'policy' && g.version === 'v1'));
    assert.match(options.properties.dryRun.description, /Valid values are: - All/);
    assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions'].description,
      'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.');
    const eviction = defs['io.k8s.api.policy.v1.Eviction'];
    assert.deepEqual(eviction['x-kubernetes-group-version-kind'], [{ group: 'policy', version: 'v1', kind: 'Eviction' }]);
    const use = eviction.properties.deleteOptions;
    assert.ok((use.$ref ?? use.allOf[0].$ref).endsWith(`/${DELETE_OPTIONS}`), JSON.stringify(use));
  }
  assert.equal(Object.keys(v2.definitions).filter((name) => name.endsWith('.DeleteOptions')).length, 1);
});

test('no definition carries member-only keys; every reference resolves; v3 references have no siblings', () => {
  const member = ['x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys'];
  const documents: [string, Doc, string][] = [['v2', v2.definitions, '#/definitions/'],
    ...[...v3Docs].map(([key, doc]): [string, Doc, string] => [key, doc.components.schemas, '#/components/schemas/'])];
  for (const [label, defs, prefix] of documents) {
    for (const [name, def] of Object.entries(defs)) {
      for (const key of member) assert.equal((def as Doc)[key], undefined, `${label} ${name} ${key}`);
    }
    const check = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(check);
      if (node === null || typeof node !== 'object') return;
      const ref = (node as Doc).$ref;
      if (typeof ref === 'string') {
        assert.ok(ref.startsWith(prefix) && defs[ref.slice(prefix.length)], `${label}: ${ref}`);
        if (label !== 'v2') assert.deepEqual(Object.keys(node), ['$ref'], `${label}: ${ref} has siblings`);
      }
      Object.values(node).forEach(check);
    };
    check(defs);
  }
});
