import { createMemoryStore } from './memory-store.js';
import { describeStoreConformance } from '../conformance.js';

describeStoreConformance('memory', () => createMemoryStore({ leaseCheckIntervalMs: 100 }));
