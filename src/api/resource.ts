// How a resource type is described to the rest of Capstan. One `ResourceType` per served
// group/version/resource; the API server derives routes, discovery, OpenAPI, decoding,
// validation and defaulting from it. Pure data and pure functions: no I/O.
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from './field-errors.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Any stored API object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
    finalizers?: string[];
    managedFields?: unknown[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** A subresource served under `<resource>/<name>/<subresource>`. */
export interface SubresourceType {
  name: string;
  /** Kind of the request/response body: the resource's own kind for `status`, `Scale`, `Binding`, … */
  kind: string;
  /** Group/version of that kind when it differs from the resource's (e.g. autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  verbs: Verb[];
}

/** Options passed to validation. */
export interface ValidationContext {
  /** The namespace from the request path (empty for cluster-scoped). */
  namespace: string;
}

export interface ResourceType<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  /** Lowercase plural used in paths: `pods`. */
  plural: string;
  /** Lowercase singular: `pod`. */
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** e.g. ['all'] for pods, services, deployments… (`kubectl get all`). */
  categories?: string[];
  /** Verbs on the main resource; default ALL_VERBS. */
  verbs?: Verb[];
  subresources?: SubresourceType[];
  /** How metadata.name is checked (upstream's per-resource name validator). Default 'subdomain'. */
  nameValidation?: 'subdomain' | 'label' | 'dns1035' | 'pathSegment';
  /** The whole object's schema (a `resourceSchema(...)`). */
  schema: TSchema;
  /**
   * True when the resource has a `status` subresource: writes to the main resource keep the old
   * status; writes to /status change only status (and nothing else).
   */
  hasStatus?: boolean;
  /** True when spec changes bump metadata.generation (resources with a `spec`). */
  tracksGeneration?: boolean;
  /**
   * Upstream's strategy PrepareForCreate: called on create after the server set metadata (uid,
   * creationTimestamp, generation) and before defaulting/validation; e.g. resets status, sets
   * pod phase Pending, namespace finalizers, job selectors from the uid. Mutates in place.
   */
  prepareForCreate?(obj: T): void;
  /** Upstream's PrepareForUpdate on the main resource (status already reset by the server). */
  prepareForUpdate?(obj: T, old: T): void;
  /**
   * Fills in upstream's defaults, in place, after the schema's own `default`s. Called on create
   * and on every update (defaulting is idempotent). Must not depend on anything but the object.
   */
  defaults?(obj: T): void;
  /** Semantic validation of a new object (after defaulting). Upstream messages and field paths. */
  validate?(obj: T, ctx: ValidationContext): FieldError[];
  /** Semantic validation of an update; defaults to `validate` when absent. Immutability checks go here. */
  validateUpdate?(obj: T, old: T, ctx: ValidationContext): FieldError[];
  /**
   * Extra field-selector fields beyond metadata.name and metadata.namespace, as upstream supports
   * for this resource (e.g. spec.nodeName, status.phase for pods). Returns the field's string value.
   */
  selectableFields?: Record<string, (obj: T) => string>;
  /** True for types only created, never stored or read (SelfSubjectAccessReview, …). */
  createOnly?: boolean;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** `deployments.apps`, `pods`. */
export function groupResourceOf(rt: ResourceType): { group: string; resource: string } {
  return { group: rt.group, resource: rt.plural };
}
