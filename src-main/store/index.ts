// Public face of the store: open the database and run migrations. Each domain keeps its own
// repositories next to its code (src-main/<domain>/repo.ts).

export { openStore, type OpenStoreOptions, type StoreDatabase } from './db.ts';
export { migrate, schemaVersion, StoreVersionError, type Migration } from './migrate.ts';
export { MIGRATIONS } from './migrations/index.ts';
export { fromJson, JsonCodecError, toJson } from './json.ts';
