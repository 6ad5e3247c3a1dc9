// Names and schemas of what a ResourceType publishes: its kind, its `<Kind>List`, and the bodies of
// its subresources. Shared by the v2 and v3 builders.
import * as api from '../../api/index.js';
import {
  DEF_NAME, obj, list, withMeta, apiVersionField, kindField, ListMeta, type ResourceType, type TSchema,
} from '../../api/index.js';
import type { SchemaConverter } from './json-schema.js';
import type { ResourceDefinitions } from './operations.js';
import { DELETE_OPTIONS, PATCH, STATUS, WATCH_EVENT, metaDeclarations, opaqueObject } from './meta-types.js';

interface GVK { group: string; version: string; kind: string }

/** Subresources served as streams or proxies (no JSON body). */
const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

/**
 * Upstream-style definition name for a kind that has no schema of its own: `io.k8s.api.<group>.<version>.<Kind>`
 * for built-in groups (`core` for the core group), reversed domain for others (`com.example.v1.Foo`).
 */
export function syntheticDefinitionName(gvk: GVK): string {
  const { group, version, kind } = gvk;
  if (group === '') return `io.k8s.api.core.${version}.${kind}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `io.k8s.api.${group.split('.')[0]}.${version}.${kind}`;
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

const gvkExtension = (gvk: GVK) => ({ 'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }] });

/** The resource's schema as a named top-level kind (adds a name and GVK tag when the schema lacks them). */
export function objectSchema(rt: ResourceType): TSchema {
  const raw = rt.schema as Record<string, unknown>;
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  if (typeof raw[DEF_NAME] === 'string' && raw['x-kubernetes-group-version-kind']) return rt.schema;
  return withMeta(rt.schema, { [DEF_NAME]: raw[DEF_NAME] ?? syntheticDefinitionName(gvk), ...(raw['x-kubernetes-group-version-kind'] ? {} : gvkExtension(gvk)) });
}

/** `<Kind>List`: apiVersion, kind, items, metadata (ListMeta), as upstream publishes every list kind. */
export function listSchema(rt: ResourceType): TSchema {
  const item = objectSchema(rt);
  const itemName = (item as Record<string, unknown>)[DEF_NAME] as string;
  const listKind = `${rt.kind}List`;
  return obj(`${itemName}List`, `${listKind} is a list of ${rt.kind} objects.`, {
    apiVersion: apiVersionField(),
    items: list(item, `Items is the list of ${rt.kind} objects.`),
    kind: kindField(),
    metadata: withMeta(ListMeta, { description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds' }),
  }, { required: ['items'], extra: gvkExtension({ group: rt.group, version: rt.version, kind: listKind }) });
}

let exported: Map<string, TSchema> | undefined;

/**
 * Every named schema the api component exports (`PodSpecSchema`, `LabelSelector`, …) by definition
 * name: the types as declared, before any place of use annotates them with `withMeta`.
 */
export function exportedDeclarations(): Map<string, TSchema> {
  if (exported) return exported;
  exported = new Map();
  for (const value of Object.values(api)) {
    const name = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[DEF_NAME] : undefined;
    if (typeof name === 'string' && !exported.has(name)) exported.set(name, value as TSchema);
  }
  return exported;
}

/**
 * Declares to `conv` the bodies shared definitions are built from: the meta.v1 types the documents
 * publish, then the api's exported declarations. Call once per converter, with the meta roots
 * defined (a defined body wins over a declared one: meta/v1 DeleteOptions over the copy
 * the Eviction body embeds).
 */
export function declareCatalogue(conv: SchemaConverter): void {
  for (const schema of metaDeclarations()) conv.declare(schema);
  for (const schema of exportedDeclarations().values()) conv.declare(schema);
}

/**
 * Hoists everything `rt` publishes into `conv` and returns the names its operations refer to.
 * `catalogue` is every served ResourceType: a subresource whose kind is another served kind
 * (e.g. a Binding) refers to that kind's definition; one the api only declares (Eviction, Scale)
 * gets that declaration. The meta types must be defined by the caller.
 */
export function defineResource(conv: SchemaConverter, rt: ResourceType, catalogue: readonly ResourceType[]): ResourceDefinitions {
  const object = conv.define(objectSchema(rt));
  const listName = conv.define(listSchema(rt));
  const subresources: Record<string, string | undefined> = {};
  for (const sub of rt.subresources ?? []) {
    const gvk = { group: sub.group ?? rt.group, version: sub.version ?? rt.version, kind: sub.kind };
    if (CONNECT_SUBRESOURCES.has(sub.name)) subresources[sub.name] = undefined;
    else if (gvk.kind === rt.kind && gvk.group === rt.group && gvk.version === rt.version) subresources[sub.name] = object;
    else {
      const served = catalogue.find((o) => o.kind === gvk.kind && o.group === gvk.group && o.version === gvk.version);
      const declared = exportedDeclarations().get(syntheticDefinitionName(gvk));
      subresources[sub.name] = served
        ? conv.define(objectSchema(served))
        : declared && (declared as Record<string, unknown>)['x-kubernetes-group-version-kind']
          ? conv.define(declared)
          : conv.define(withMeta(opaqueObject(), { [DEF_NAME]: syntheticDefinitionName(gvk), description: `${gvk.kind} (${gvk.group || 'core'}/${gvk.version}).`, ...gvkExtension(gvk) }));
    }
  }
  return { object, list: listName, subresources, status: STATUS, deleteOptions: DELETE_OPTIONS, watchEvent: WATCH_EVENT, patch: PATCH };
}
