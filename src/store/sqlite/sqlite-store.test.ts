import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite-store.js';
import { describeStoreConformance } from '../conformance.js';

const root = mkdtempSync(join(tmpdir(), 'capstan-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `store-${n++}.db`);

describeStoreConformance('sqlite', () => openSqliteStore({ path: freshPath(), leaseCheckIntervalMs: 100 }));
