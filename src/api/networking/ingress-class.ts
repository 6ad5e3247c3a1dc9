// networking.k8s.io/v1 IngressClass: names the controller that implements a class of Ingresses.
// Cluster-scoped; the `ingressclass.kubernetes.io/is-default-class` annotation marks the default.
import { obj, str, enumStr, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, childPath, type FieldError } from '../field-errors.js';
import { isDNS1123Label } from '../meta/names.js';
import { validateImmutable } from '../core/field-checks.js';
import { validateDomainPrefixedPath, validateTypedLocalObjectReference } from './ingress-validation.js';

const SCOPES = ['Cluster', 'Namespace'] as const;
const MAX_CONTROLLER_LENGTH = 250;

export const IngressClassSchema = resourceSchema('io.k8s.api.networking.v1.IngressClass', { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' },
  'IngressClass represents the class of the Ingress, referenced by the Ingress Spec.', {
    spec: obj('io.k8s.api.networking.v1.IngressClassSpec', 'IngressClassSpec provides information about the class of an Ingress.', {
      controller: str('controller refers to the name of the controller that should handle this class. This should be specified as a domain-prefixed path no more than 250 characters in length, e.g. "acme.io/ingress-controller". This field is immutable.'),
      parameters: obj('io.k8s.api.networking.v1.IngressClassParametersReference', 'IngressClassParametersReference identifies an API object. This can be used to specify a cluster or namespace-scoped resource.', {
        apiGroup: str('apiGroup is the group for the resource being referenced.'),
        kind: str('kind is the type of resource being referenced.'),
        name: str('name is the name of resource being referenced.'),
        scope: enumStr('scope represents if this refers to a cluster or namespace scoped resource. This may be set to "Cluster" (default) or "Namespace".', SCOPES),
        namespace: str('namespace is the namespace of the resource being referenced. This field is required when scope is set to "Namespace" and must be unset when scope is set to "Cluster".'),
      }, { required: ['kind', 'name'] }),
    }),
  });
export type IngressClass = Static<typeof IngressClassSchema>;

/** Upstream ValidateIngressClassSpec. */
export function validateIngressClass(ic: IngressClass): FieldError[] {
  const controller = ic.spec?.controller ?? '';
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(fieldError.tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
  errs.push(...validateDomainPrefixedPath(controller, 'spec.controller'));
  const params = ic.spec?.parameters;
  if (params) {
    const path = 'spec.parameters';
    errs.push(...validateTypedLocalObjectReference(params, path));
    if (!params.scope) errs.push(fieldError.required(childPath(path, 'scope'), ''));
    else if (!(SCOPES as readonly string[]).includes(params.scope)) errs.push(fieldError.notSupported(childPath(path, 'scope'), params.scope, SCOPES));
    else if (params.scope === 'Namespace') {
      if (params.namespace === undefined) errs.push(fieldError.required(childPath(path, 'namespace'), '`parameters.scope` is set to \'Namespace\''));
      else for (const m of isDNS1123Label(params.namespace)) errs.push(fieldError.invalid(childPath(path, 'namespace'), params.namespace, m));
    } else if (params.namespace !== undefined) {
      errs.push(fieldError.forbidden(childPath(path, 'namespace'), '`parameters.scope` is set to \'Cluster\''));
    }
  }
  return errs;
}

export const ingressClasses: ResourceType<IngressClass> = {
  group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass',
  namespaced: false,
  schema: IngressClassSchema,
  tracksGeneration: true,
  defaults(ic) {
    // Upstream SetDefaults_IngressClass.
    if (ic.spec?.parameters && !ic.spec.parameters.scope) ic.spec.parameters.scope = 'Cluster';
  },
  validate: (ic) => validateIngressClass(ic),
  validateUpdate: (ic, old) => [...validateIngressClass(ic), ...validateImmutable(ic.spec?.controller, old.spec?.controller, 'spec.controller')],
};
