// coordination.k8s.io/v1 Lease: the lock behind leader election and node heartbeats.
import { obj, str, int32, microTime, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { isQualifiedName } from '../meta/names.js';
import { validateNonnegative } from '../core/field-checks.js';

export const LeaseSchema = resourceSchema('io.k8s.api.coordination.v1.Lease', { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  'Lease defines a lease concept.', {
    spec: obj('io.k8s.api.coordination.v1.LeaseSpec', 'LeaseSpec is a specification of a Lease.', {
      holderIdentity: str('holderIdentity contains the identity of the holder of a current lease.'),
      leaseDurationSeconds: int32('leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.'),
      acquireTime: microTime('acquireTime is a time when the current lease was acquired.'),
      renewTime: microTime('renewTime is a time when the current holder of a lease has last updated the lease.'),
      leaseTransitions: int32('leaseTransitions is the number of transitions of a lease between holders.'),
      strategy: str('Strategy indicates the strategy for picking the leader for coordinated leader election.'),
      preferredHolder: str('PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.'),
    }),
  });
export type Lease = Static<typeof LeaseSchema>;

/** Upstream ValidateLeaseSpec. */
export function validateLease(lease: Lease): FieldError[] {
  const spec = lease.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldError.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  errs.push(...validateNonnegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  if (spec.strategy !== undefined) {
    for (const m of isQualifiedName(spec.strategy)) errs.push(fieldError.invalid('spec.strategy', spec.strategy, m));
  }
  if (spec.preferredHolder && !spec.strategy) {
    errs.push(fieldError.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export const leases: ResourceType<Lease> = {
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease',
  namespaced: true,
  schema: LeaseSchema,
  validate: (lease) => validateLease(lease),
};
