// A serial queue: tasks run one after another in the order given, so one thing (a swap, a fill)
// is never worked on twice at once.

export interface SerialQueue {
  /** Runs `task` after every task queued before it; a failing task does not stop the queue. */
  run<T>(task: () => T | Promise<T>): Promise<T>;
  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const next = tail.then(task, task);
      tail = next.catch(() => undefined);
      return next;
    },
    idle: () => tail.then(() => undefined),
  };
}
