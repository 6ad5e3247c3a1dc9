// Public surface of the network component. Today: the pod network over CNI (`cni/`); Service
// proxying and cluster DNS join here.
export * from './cni/index.js';
export * from './proxy/index.js';
