// Public face of the store: open the database and run migrations. Each domain keeps its own
// repositories and migrations next to its code (src-main/<domain>/repo.ts, migrations/).

export { openStore, type OpenStoreOptions, type StoreDatabase } from './db.ts';
export { migrate, schemaVersions, type DomainSchema, type Migration } from './migrate.ts';
export { fromJson, toJson } from './json.ts';
