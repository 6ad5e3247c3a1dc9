// Public surface of the kubelet component.
export * from './hollow/index.js';
export * from './podspec/index.js';
export * from './volumes/index.js';
export * from './node/index.js';
export * from './logs/index.js';
export * from './server/index.js';
