// Starts bench/book-node.ts processes and drives them (json-proc.ts): a command per stdin line,
// and the times at which each listed each order or got each raw baseline message (for propagation latency).
import path from 'node:path';
import { JsonProc, type Line } from './json-proc.ts';

export class BookProc extends JsonProc {
  /** order id → when this process listed it (ms since the epoch). */
  readonly listed = new Map<string, number>();
  /** raw baseline message id → when this process got it. */
  readonly raw = new Map<string, number>();

  constructor(nodeArgs: string[] = []) {
    // JsonProc starts it with the V8 flags a real node starts with (NODE_V8_FLAGS).
    super({ script: path.join(import.meta.dirname, 'book-node.ts'), nodeArgs });
  }

  protected override onEvent(m: Line): void {
    if (m.event === 'listed') this.listed.set(m.orderId as string, m.t as number);
    else if (m.event === 'raw') this.raw.set(m.id as string, m.t as number);
  }
}
