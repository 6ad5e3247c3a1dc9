// buildOpenApiV2 / buildOpenApiV3 / encodeOpenApiV2Protobuf over ConfigMap plus small fake kinds:
// definitions, list kinds, GVK tags, paths and operation names as upstream publishes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Type, resourceSchema, str, int32, RESOURCES, type ResourceType } from '../../api/index.js';
import { buildOpenApiV2 } from './v2.js';
import { buildOpenApiV3 } from './v3.js';
import { encodeOpenApiV2Protobuf } from './protobuf-v2.js';
import { groupVersionName, tagOf } from './operations.js';

const configMaps = RESOURCES.find((r) => r.kind === 'ConfigMap')! as ResourceType;
const widgets: ResourceType = {
  group: 'apps', version: 'v1', kind: 'Widget', plural: 'widgets', singular: 'widget', namespaced: true,
  schema: resourceSchema('io.k8s.api.apps.v1.Widget', { group: 'apps', version: 'v1', kind: 'Widget' }, 'Widget is a test kind.', { size: int32('How big.') }),
  subresources: [
    { name: 'status', kind: 'Widget', verbs: ['get', 'patch', 'update'] },
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    { name: 'log', kind: 'Widget', verbs: ['get'] },
  ],
};
const gadgets: ResourceType = {
  group: 'example.com', version: 'v1alpha1', kind: 'Gadget', plural: 'gadgets', singular: 'gadget', namespaced: false,
  verbs: ['get', 'list', 'create'],
  schema: Type.Object({ spec: Type.Object({ color: str('Color.') }) }, { description: 'A gadget without a definition name.' }),
};
const resources = [configMaps, widgets, gadgets];

type Doc = Record<string, any>;

test('operation names follow upstream', () => {
  assert.equal(groupVersionName('', 'v1'), 'CoreV1');
  assert.equal(groupVersionName('rbac.authorization.k8s.io', 'v1'), 'RbacAuthorizationV1');
  assert.equal(groupVersionName('flowcontrol.apiserver.k8s.io', 'v1beta3'), 'FlowcontrolApiserverV1beta3');
  assert.equal(tagOf('rbac.authorization.k8s.io', 'v1'), 'rbacAuthorization_v1');
  assert.equal(tagOf('', 'v1'), 'core_v1');
});

test('v2: definitions, list kinds and GVK tags', () => {
  const doc = buildOpenApiV2(resources, { title: 'Kubernetes', version: 'v1.31.0' }) as Doc;
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.31.0' });
  const defs = doc.definitions;
  assert.deepEqual(defs['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'ConfigMap' }]);
  const list = defs['io.k8s.api.core.v1.ConfigMapList'];
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMapList', version: 'v1' }]);
  assert.deepEqual(list.required, ['items']);
  assert.deepEqual(list.properties.items.items, { $ref: '#/definitions/io.k8s.api.core.v1.ConfigMap' });
  assert.equal(list.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
  // A schema without a name gets an upstream-style one, with its GVK.
  assert.deepEqual(defs['com.example.v1alpha1.Gadget']['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Gadget', version: 'v1alpha1' }]);
  assert.ok(defs['com.example.v1alpha1.GadgetList']);
  // A subresource kind that no resource serves gets a named opaque definition.
  assert.deepEqual(defs['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  // meta.v1 types; DeleteOptions tagged with every served group-version.
  for (const k of ['Status', 'StatusDetails', 'DeleteOptions', 'WatchEvent', 'APIResourceList', 'Patch', 'ObjectMeta', 'Time']) {
    assert.ok(defs[`io.k8s.apimachinery.pkg.apis.meta.v1.${k}`], k);
  }
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'].map((g: Doc) => `${g.group}/${g.version}`),
    ['/v1', 'apps/v1', 'example.com/v1alpha1']);
  assert.equal(JSON.stringify(doc).includes('x-capstan'), false);
});

test('v2: paths with actions, GVKs and patch media types', () => {
  const doc = buildOpenApiV2(resources, { title: 'Kubernetes', version: 'v1.31.0' }) as Doc;
  const p = doc.paths;
  const ns = p['/api/v1/namespaces/{namespace}/configmaps'];
  assert.equal(ns.get.operationId, 'listCoreV1NamespacedConfigMap');
  assert.equal(ns.get['x-kubernetes-action'], 'list');
  assert.equal(ns.post.operationId, 'createCoreV1NamespacedConfigMap');
  assert.equal(ns.delete.operationId, 'deleteCoreV1CollectionNamespacedConfigMap');
  const item = p['/api/v1/namespaces/{namespace}/configmaps/{name}'];
  assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'patch', 'put']);
  assert.deepEqual(item.patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });
  assert.deepEqual(item.get.responses['200'].schema, { $ref: '#/definitions/io.k8s.api.core.v1.ConfigMap' });
  assert.equal(item.get.parameters.find((x: Doc) => x.name === 'name').required, true);
  assert.equal(p['/api/v1/configmaps'].get.operationId, 'listCoreV1ConfigMapForAllNamespaces');
  assert.equal(p['/api/v1/watch/namespaces/{namespace}/configmaps/{name}'].get['x-kubernetes-action'], 'watch');
  assert.equal(p['/api/v1/'].get.operationId, 'getCoreV1APIResources');
  // Subresources: status refers to the kind itself, scale to its own kind, log is a connect.
  const status = p['/apis/apps/v1/namespaces/{namespace}/widgets/{name}/status'];
  assert.equal(status.put.operationId, 'replaceAppsV1NamespacedWidgetStatus');
  assert.deepEqual(status.get.responses['200'].schema, { $ref: '#/definitions/io.k8s.api.apps.v1.Widget' });
  const scale = p['/apis/apps/v1/namespaces/{namespace}/widgets/{name}/scale'];
  assert.deepEqual(scale.get['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.deepEqual(scale.get.responses['200'].schema, { $ref: '#/definitions/io.k8s.api.autoscaling.v1.Scale' });
  assert.equal(p['/apis/apps/v1/namespaces/{namespace}/widgets/{name}/log'].get['x-kubernetes-action'], 'connect');
  // Verbs limit the operations; cluster-scoped paths have no namespace.
  const gadgetItem = p['/apis/example.com/v1alpha1/gadgets/{name}'];
  assert.deepEqual(Object.keys(gadgetItem), ['get']);
  assert.equal(gadgetItem.get.operationId, 'readExampleComV1alpha1Gadget');
  assert.equal(p['/apis/example.com/v1alpha1/watch/gadgets'], undefined);
});

test('v3: index with content hashes; one document per group-version', () => {
  const { index, documents } = buildOpenApiV3(resources);
  assert.deepEqual(Object.keys(index.paths), ['api/v1', 'apis/apps/v1', 'apis/example.com/v1alpha1']);
  for (const [key, doc] of documents) {
    const hash = createHash('sha512').update(doc.json).digest('hex').toUpperCase();
    assert.equal(doc.etag, hash);
    assert.equal(index.paths[key]!.serverRelativeURL, `/openapi/v3/${key}?hash=${hash}`);
  }
  const apps = JSON.parse(documents.get('apis/apps/v1')!.json) as Doc;
  assert.equal(apps.openapi, '3.0.0');
  const schemas = apps.components.schemas;
  assert.ok(schemas['io.k8s.api.apps.v1.Widget']);
  assert.ok(schemas['io.k8s.api.apps.v1.WidgetList']);
  assert.equal(schemas['io.k8s.api.core.v1.ConfigMap'], undefined, 'other group-versions stay out');
  for (const k of ['Status', 'DeleteOptions', 'WatchEvent', 'APIResourceList', 'ObjectMeta']) assert.ok(schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${k}`], k);
  assert.ok(Object.keys(apps.paths).every((path) => path.startsWith('/apis/apps/v1/')));
  const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/widgets/{name}'].patch;
  assert.deepEqual(Object.keys(patch.requestBody.content), ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  assert.deepEqual(patch.requestBody.content['application/json-patch+json'].schema, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
  assert.deepEqual(patch.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/io.k8s.api.apps.v1.Widget' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  const meta = schemas['io.k8s.api.apps.v1.Widget'].properties.metadata;
  assert.deepEqual(meta, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
  // Deterministic: the same catalogue gives the same bytes (and so the same hash).
  assert.equal(buildOpenApiV3(resources).documents.get('apis/apps/v1')!.json, documents.get('apis/apps/v1')!.json);
});

/** Reads one protobuf message into fields: number → raw values (Buffer for length-delimited, bigint for varint). */
function readMessage(buf: Buffer): Map<number, (Buffer | bigint)[]> {
  const fields = new Map<number, (Buffer | bigint)[]>();
  let i = 0;
  const varint = () => {
    let v = 0n, shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3, wire = key & 7;
    let value: Buffer | bigint;
    if (wire === 0) value = varint();
    else if (wire === 2) { const len = Number(varint()); value = buf.subarray(i, i + len); i += len; }
    else if (wire === 1) { value = buf.subarray(i, i + 8); i += 8; }
    else throw new Error(`wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

test('protobuf v2: gnostic Document with definitions and vendor extensions', () => {
  const doc = buildOpenApiV2(resources, { title: 'Kubernetes', version: 'v1.31.0' }) as Doc;
  const top = readMessage(encodeOpenApiV2Protobuf(doc));
  assert.equal((top.get(1)![0] as Buffer).toString(), '2.0');
  const info = readMessage(top.get(2)![0] as Buffer);
  assert.equal((info.get(2)![0] as Buffer).toString(), 'v1.31.0');
  const named = readMessage(top.get(9)![0] as Buffer).get(1)!.map((b) => readMessage(b as Buffer));
  assert.deepEqual(named.map((n) => (n.get(1)![0] as Buffer).toString()), Object.keys(doc.definitions));
  const cm = readMessage(named.find((n) => (n.get(1)![0] as Buffer).toString() === 'io.k8s.api.core.v1.ConfigMap')!.get(2)![0] as Buffer);
  assert.equal((cm.get(4)![0] as Buffer).toString(), 'ConfigMap holds configuration data for pods to consume.');
  assert.deepEqual(readMessage(cm.get(22)![0] as Buffer).get(1)!.map((b) => (b as Buffer).toString()), ['object']);
  const ext = readMessage(cm.get(31)![0] as Buffer);
  assert.equal((ext.get(1)![0] as Buffer).toString(), 'x-kubernetes-group-version-kind');
  const yaml = (readMessage(ext.get(2)![0] as Buffer).get(2)![0] as Buffer).toString();
  assert.deepEqual(JSON.parse(yaml), [{ group: '', version: 'v1', kind: 'ConfigMap' }]);
  const paths = readMessage(top.get(8)![0] as Buffer).get(2)!.map((b) => (readMessage(b as Buffer).get(1)![0] as Buffer).toString());
  assert.deepEqual(paths, Object.keys(doc.paths));
});
