// Upstream ValidatePodUpdate: which parts of a pod's spec may change after creation. Called by
// the pods ResourceType's validateUpdate after the new spec passed validatePodSpec.
import { fieldError, type FieldError, childPath, indexPath } from '../field-errors.js';
import { jsonEqual } from './field-checks.js';
import type { Container } from './container.js';
import type { Toleration } from './affinity.js';
import type { PodSpec } from './pod-spec.js';

export const POD_UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

/** Upstream ValidateContainerUpdates; `stop` when the container count changed. */
function validateContainerUpdates(next: Container[], old: Container[], path: string): { errs: FieldError[]; stop: boolean } {
  if (next.length !== old.length) return { errs: [fieldError.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  next.forEach((c, i) => { if (!c.image) errs.push(fieldError.required(childPath(indexPath(path, i), 'image'))); });
  return { errs, stop: false };
}

/** Existing tolerations may only change their tolerationSeconds; new ones may be added. */
function validateOnlyAddedTolerations(next: Toleration[], old: Toleration[], path: string): FieldError[] {
  for (const o of old) {
    const found = next.some((n) => jsonEqual({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!found) return [fieldError.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

function validateOnlyDeletedSchedulingGates(next: PodSpec['schedulingGates'], old: PodSpec['schedulingGates'], path: string): FieldError[] {
  const oldNames = new Set((old ?? []).map((g) => g.name));
  for (const g of next ?? []) {
    if (!oldNames.has(g.name)) return [fieldError.forbidden(path, `only deletion is allowed, but found new scheduling gate '${g.name ?? ''}'`)];
  }
  return [];
}

/** A short list of the top-level spec fields that differ, appended to the Forbidden message. */
function describeDiff(next: PodSpec, old: PodSpec): string {
  const keys = new Set([...Object.keys(next), ...Object.keys(old)]);
  const changed = [...keys].filter((k) => !jsonEqual((next as Record<string, unknown>)[k], (old as Record<string, unknown>)[k])).sort();
  return changed.map((k) => `  spec.${k}: changed`).join('\n');
}

/** The update rules of a pod's spec (metadata and status are checked elsewhere). */
export function validatePodSpecUpdate(next: PodSpec, old: PodSpec): FieldError[] {
  const specPath = 'spec';
  const errs: FieldError[] = [];
  const app = validateContainerUpdates(next.containers ?? [], old.containers ?? [], childPath(specPath, 'containers'));
  errs.push(...app.errs);
  if (app.stop) return errs;
  const init = validateContainerUpdates(next.initContainers ?? [], old.initContainers ?? [], childPath(specPath, 'initContainers'));
  errs.push(...init.errs);
  if (init.stop) return errs;

  const adsPath = childPath(specPath, 'activeDeadlineSeconds');
  if (next.activeDeadlineSeconds !== undefined) {
    const v = next.activeDeadlineSeconds;
    if (v < 0 || v > MAX_INT32) return [...errs, fieldError.invalid(adsPath, v, `must be between 0 and ${MAX_INT32}, inclusive`)];
    if (old.activeDeadlineSeconds !== undefined && old.activeDeadlineSeconds < v) {
      return [...errs, fieldError.invalid(adsPath, v, 'must be less than or equal to previous value')];
    }
  } else if (old.activeDeadlineSeconds !== undefined) {
    errs.push(fieldError.invalid(adsPath, null, 'must not update from a positive integer to nil value'));
  }

  // Everything allowed to change is copied from the old spec; any remaining difference is forbidden.
  const munged: PodSpec = structuredClone(next);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: old.containers![i].image }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: old.initContainers![i].image }));
  setOrDelete(munged, 'activeDeadlineSeconds', old.activeDeadlineSeconds);
  setOrDelete(munged, 'tolerations', old.tolerations);
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && next.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  if ((old.schedulingGates ?? []).length > 0) {
    setOrDelete(munged, 'schedulingGates', old.schedulingGates);
    errs.push(...validateOnlyDeletedSchedulingGates(next.schedulingGates, old.schedulingGates, childPath(specPath, 'schedulingGates')));
    // While gated, nodeSelector may gain entries (existing ones stay).
    const added = Object.entries(old.nodeSelector ?? {}).every(([k, v]) => next.nodeSelector?.[k] === v);
    if (added) setOrDelete(munged, 'nodeSelector', old.nodeSelector);
  }
  if (!jsonEqual(munged, old)) {
    const diff = describeDiff(munged, old);
    errs.push(fieldError.forbidden(specPath, diff ? `${POD_UPDATE_FORBIDDEN}\n${diff}` : POD_UPDATE_FORBIDDEN));
  }
  errs.push(...validateOnlyAddedTolerations(next.tolerations ?? [], old.tolerations ?? [], childPath(specPath, 'tolerations')));
  return errs;
}

function setOrDelete<K extends keyof PodSpec>(spec: PodSpec, key: K, value: PodSpec[K]): void {
  if (value === undefined) delete spec[key];
  else spec[key] = value;
}
