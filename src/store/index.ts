// Public surface of the store component: the Store port and its backends.
export * from './store.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export type { CompactionTuning } from './sqlite/compaction.js';
export { startCompactor, type CompactorOptions } from './compactor.js';
