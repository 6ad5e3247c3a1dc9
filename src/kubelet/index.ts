// Public surface of the kubelet component.
export * from './hollow/index.js';
export * from './node/index.js';
