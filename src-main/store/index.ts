// Public face of the store: open the database, then build one repository per aggregate from it.

export { openStore, type OpenStoreOptions, type StoreDatabase } from './db.ts';
export { migrate, schemaVersion, StoreVersionError, type Migration } from './migrate.ts';
export { MIGRATIONS } from './migrations/index.ts';
export { fromJson, JsonCodecError, toJson } from './json.ts';
export { createSettingsRepo, type SettingsRepo } from './settings-repo.ts';
export { createWalletConnectionRepo } from './wallet-connection-repo.ts';
export {
  createSwapRepo,
  type StoredSwap,
  type StoredSwapEvent,
  type SwapEventInput,
  type SwapRepo,
  type SwapRole,
  type SwapSnapshot,
} from './swap-repo.ts';
export { createBanRepo, type BanRepo, type PeerBan } from './ban-repo.ts';
export {
  createOrderRepo,
  type MyOrderKind,
  type MyOrderRole,
  type MyOrderRow,
  type OrderRepo,
  type StoredMyOrder,
} from './order-repo.ts';
export { createTradeRepo, type TradeRepo, type TradeRow, type TradeVerification } from './trade-repo.ts';
export {
  createServiceNodeRepo,
  type CollateralVerification,
  type ServiceNodeRepo,
  type ServiceNodeRow,
  type SnHoldRow,
} from './service-node-repo.ts';
