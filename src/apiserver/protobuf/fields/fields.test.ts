// The tables against the schemas: every definition reachable from the kinds kubectl sends as
// protobuf has a table, and every property the schema models has a field number (directly or
// through an embedded struct). Fails when a schema gains a field the tables do not know.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES, EvictionSchema, BindingSchema, DEF_NAME, type TSchema } from '../../../api/index.js';
import { FIELD_TABLES, type FieldTable } from './index.js';

const KINDS = [
  'Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job',
  'CronJob', 'ResourceQuota', 'PriorityClass', 'PodDisruptionBudget', 'Ingress', 'SelfSubjectAccessReview',
  'SelfSubjectRulesReview', 'Pod',
];
/** Special messages with a fixed wire form, decoded by value kind rather than by table. */
const SPECIAL = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time', 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.api.resource.Quantity', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
]);

type Schema = TSchema & Record<string, unknown>;

/** Named object definitions under `schema`, by name. */
function definitions(schema: Schema, out = new Map<string, Schema>()): Map<string, Schema> {
  const name = schema[DEF_NAME] as string | undefined;
  if (name && !SPECIAL.has(name)) {
    if (out.has(name)) return out;
    out.set(name, schema);
  }
  for (const child of [
    ...Object.values((schema.properties ?? {}) as Record<string, Schema>),
    ...Object.values((schema.patternProperties ?? {}) as Record<string, Schema>),
    ...(schema.items ? [schema.items as Schema] : []),
  ]) definitions(child, out);
  return out;
}

/** JSON names a table maps, following embedded structs. */
function mappedNames(table: FieldTable): Set<string> {
  const names = new Set<string>();
  for (const [name, spec] of Object.entries(table)) {
    if (typeof spec !== 'number' && spec.inline) for (const n of mappedNames(FIELD_TABLES[spec.inline])) names.add(n);
    else names.add(name);
  }
  return names;
}

describe('protobuf field tables', () => {
  const roots = [...KINDS.map((k) => RESOURCES.find((r) => r.kind === k)?.schema), EvictionSchema, BindingSchema];
  const defs = new Map<string, Schema>();
  for (const root of roots) {
    assert.ok(root);
    definitions(root as Schema, defs);
  }

  it('cover every reachable definition', () => {
    assert.ok(defs.size > 150, `only ${defs.size} definitions found`);
    const missing = [...defs.keys()].filter((d) => !FIELD_TABLES[d]);
    assert.deepEqual(missing, []);
  });

  it('give every modelled property a field number (apiVersion and kind travel in the envelope)', () => {
    const unmapped: string[] = [];
    for (const [name, schema] of defs) {
      const mapped = mappedNames(FIELD_TABLES[name]);
      for (const prop of Object.keys((schema.properties ?? {}) as object)) {
        if (prop !== 'apiVersion' && prop !== 'kind' && !mapped.has(prop)) unmapped.push(`${name}.${prop}`);
      }
    }
    assert.deepEqual(unmapped, []);
  });

  it('use each field number once per definition', () => {
    for (const [name, table] of Object.entries(FIELD_TABLES)) {
      const numbers = Object.values(table).map((s) => (typeof s === 'number' ? s : s.n));
      assert.equal(new Set(numbers).size, numbers.length, name);
    }
  });

  it('name only definitions that exist, for embedded structs and typed fields', () => {
    for (const [name, table] of Object.entries(FIELD_TABLES)) {
      for (const [field, spec] of Object.entries(table)) {
        if (typeof spec === 'number') continue;
        const ref = spec.inline ?? (spec.type?.startsWith('io.k8s.') ? spec.type.replace(/\[\]$/, '') : undefined);
        if (ref) assert.ok(FIELD_TABLES[ref], `${name}.${field} → ${ref}`);
      }
    }
  });

  it('pin upstream numbers and Go facts that matter most', () => {
    assert.deepEqual(FIELD_TABLES['io.k8s.api.apps.v1.DeploymentSpec'].replicas, { n: 1, ptr: true });
    assert.deepEqual(FIELD_TABLES['io.k8s.api.apps.v1.DeploymentSpec'].progressDeadlineSeconds, { n: 9, ptr: true });
    assert.equal(FIELD_TABLES['io.k8s.api.core.v1.PodSpec'].initContainers, 20);
    assert.deepEqual(FIELD_TABLES['io.k8s.api.core.v1.Volume'].volumeSource, { n: 2, inline: 'io.k8s.api.core.v1.VolumeSource' });
    assert.deepEqual(FIELD_TABLES['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'].gracePeriodSeconds, { n: 1, ptr: true });
    assert.equal(FIELD_TABLES['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].managedFields, 17);
  });
});
