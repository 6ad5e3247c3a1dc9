// The schema-free part of the api component's public surface, for processes that talk to the
// API server but never validate or default objects themselves (the kubelet, the API client, the
// runtime): Status errors, quantities, names and labels, QoS, and resource addresses. Importing
// this loads no schema (index.ts, which re-exports all of it, loads every API group's schema).
// Types stay importable from index.ts: `import type` loads nothing.
export * from './status.js';
export * from './field-errors.js';
export * from './meta/names.js';
export * from './meta/labels.js';
export * from './meta/quantity.js';
export * from './resource-refs.js';
export { TAINT_EFFECTS } from './core/taint-effects.js';
export { jsonEqual } from './core/field-checks.js';
export { computeQOSClass, type QOSClass } from './core/pod-qos.js';
