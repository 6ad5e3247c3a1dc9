// Public surface of the network component: the pod network over CNI (`cni/`), the routes between
// nodes (`routes/`), cluster DNS (`dns/`) and the Service proxy (`proxy/`).
export * from './cni/index.js';
export * from './routes/index.js';
export * from './dns/index.js';
export * from './proxy/index.js';
