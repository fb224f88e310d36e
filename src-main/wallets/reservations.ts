// Coins held back from the user's spendable balance: open orders and unfinished swaps each say
// how much of a coin they hold, and the wallet service subtracts the sum. One component that
// every domain which reserves coins uses (orders, swaps, payments), so none reaches into another.

export interface Reservations {
  /** Registers a holder of coins; returns the function that removes it. */
  addSource(name: string, lockedAmount: (ticker: string) => bigint): () => void;
  /** Everything held back on this coin now. */
  lockedAmount(ticker: string): bigint;
  /** A holder says its holdings changed (listeners, such as the balance watcher, look again). */
  changed(name: string): void;
  onChange(listener: (name: string) => void): () => void;
}

export function createReservations(onListenerError: (err: unknown) => void = () => {}): Reservations {
  const sources = new Map<string, (ticker: string) => bigint>();
  const listeners = new Set<(name: string) => void>();
  return {
    addSource(name, lockedAmount) {
      if (sources.has(name)) throw new Error(`reservations: ${name} is already registered`);
      sources.set(name, lockedAmount);
      return () => sources.delete(name);
    },
    lockedAmount(ticker) {
      let sum = 0n;
      for (const held of sources.values()) sum += held(ticker);
      return sum;
    },
    changed(name) {
      for (const l of [...listeners]) {
        try {
          l(name);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
