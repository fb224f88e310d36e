// This node's own orders (their fills and acks) and the maker's check of a trade record against
// them. Built before the trade history, which asks the check before it countersigns, and before
// the order service, which writes the records: so neither needs the other late.
import { defineModule } from '../kernel/module.ts';
import type { MakerCheck } from '../history/index.ts';
import { createMakerCheck } from './maker-check.ts';
import { createRecordStore, type RecordStore } from './records.ts';
import { createOrderRepo } from './repo.ts';

declare module '../kernel/module.ts' {
  interface Components {
    orderRecords: RecordStore;
    makerCheck: MakerCheck;
  }
}

export const orderRecordsModule = defineModule({
  name: 'orders.records',
  needs: ['swaps'],
  provides: ['orderRecords', 'makerCheck'],
  create(c) {
    const records = createRecordStore(createOrderRepo(c.db), c.log, c.now);
    return { provides: { orderRecords: records, makerCheck: createMakerCheck({ records, swaps: c.swaps }) } };
  },
});
