// Public surface of the api component: types, schemas, validation and meta helpers. No I/O.
export * from './status.js';
export * from './field-errors.js';
export * from './resource.js';
export * from './resources.js';
export * from './schema/builder.js';
export * from './schema/meta.js';
export * from './meta/names.js';
export * from './meta/labels.js';
export * from './meta/fields.js';
export * from './meta/quantity.js';
export * from './meta/object-meta.js';
