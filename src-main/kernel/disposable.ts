// Everything a part must release when it stops (timers, subscriptions, handlers) goes into one
// store, released in reverse order of adding. VS Code's DisposableStore is the model.

export type Disposer = () => void | Promise<void>;

export interface DisposableStore {
  /** Adds something to release; returns it so `const off = store.add(bus.on(...))` reads well. */
  add<T extends Disposer>(dispose: T): T;
  /** setInterval whose timer is cleared on dispose and never keeps the process alive. */
  interval(fn: () => void, ms: number): void;
  /** Releases everything, last added first; a failing disposer does not stop the rest. */
  dispose(): Promise<void>;
  readonly disposed: boolean;
}

export function createDisposableStore(onError: (err: unknown) => void = () => {}): DisposableStore {
  const items: Disposer[] = [];
  let disposed = false;
  const store: DisposableStore = {
    add(dispose) {
      if (disposed) {
        // Adding to a released store releases at once: nothing outlives its owner.
        void Promise.resolve().then(dispose).catch(onError);
      } else items.push(dispose);
      return dispose;
    },
    interval(fn, ms) {
      const timer = setInterval(fn, ms);
      timer.unref?.();
      store.add(() => clearInterval(timer));
    },
    async dispose() {
      disposed = true;
      while (items.length > 0) {
        const d = items.pop()!;
        try {
          await d();
        } catch (err) {
          onError(err);
        }
      }
    },
    get disposed() {
      return disposed;
    },
  };
  return store;
}
