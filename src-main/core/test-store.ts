// For tests: a store with every module's tables, as a node opens it.
import { openStore, type StoreDatabase } from '../store/index.ts';
import { schemasOf } from './modules.ts';

export function openTestStore(path = ':memory:'): StoreDatabase {
  return openStore(path, { schemas: schemasOf() });
}
