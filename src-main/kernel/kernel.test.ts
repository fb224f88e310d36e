// The kernel's parts: the typed internal bus, the ordered lifecycle and the disposable store.
import { describe, expect, it } from 'vitest';
import { createInternalBus } from './bus.ts';
import { createDisposableStore } from './disposable.ts';
import { createLifecycle } from './lifecycle.ts';
import { silentLogger, type Logger } from './log.ts';
import { waitFor } from './time.ts';

declare module './bus.ts' {
  interface InternalEvents {
    'test.pinged': { n: number };
    'test.other': { word: string };
  }
}

describe('internal bus', () => {
  it('delivers a fact to the listeners of its name only, in order, typed by name', () => {
    const bus = createInternalBus();
    const seen: string[] = [];
    bus.on('test.pinged', (e) => seen.push(`a${e.n}`));
    bus.on('test.pinged', (e) => seen.push(`b${e.n}`));
    bus.on('test.other', (e) => seen.push(e.word));
    bus.emit('test.pinged', { n: 1 });
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('a listener that throws is reported and the others still hear the fact', () => {
    const errors: string[] = [];
    const bus = createInternalBus((err, event) => errors.push(`${event}: ${(err as Error).message}`));
    const seen: number[] = [];
    bus.on('test.pinged', () => {
      throw new Error('boom');
    });
    bus.on('test.pinged', (e) => seen.push(e.n));
    bus.emit('test.pinged', { n: 7 });
    expect(seen).toEqual([7]);
    expect(errors).toEqual(['test.pinged: boom']);
  });

  it('stops delivering once the listener is removed', () => {
    const bus = createInternalBus();
    const seen: number[] = [];
    const off = bus.on('test.pinged', (e) => seen.push(e.n));
    bus.emit('test.pinged', { n: 1 });
    off();
    bus.emit('test.pinged', { n: 2 });
    expect(seen).toEqual([1]);
  });
});

describe('lifecycle', () => {
  it('starts parts in order, awaiting each, and stops them in reverse', async () => {
    const steps: string[] = [];
    const part = (name: string) => ({
      async start() {
        await new Promise((r) => setTimeout(r, 5));
        steps.push(`start ${name}`);
      },
      async stop() {
        await new Promise((r) => setTimeout(r, 5));
        steps.push(`stop ${name}`);
      },
    });
    const life = createLifecycle(silentLogger);
    await life.start('a', part('a'));
    life.onStop('close b', () => void steps.push('close b'));
    await life.start('c', part('c'));
    await life.stop();
    expect(steps).toEqual(['start a', 'start c', 'stop c', 'close b', 'stop a']);
    await life.stop();
    expect(steps).toHaveLength(5);
  });

  it('a part that fails to stop is logged and the rest still stop', async () => {
    const warned: unknown[] = [];
    const log: Logger = { ...silentLogger, warn: (m, d) => warned.push([m, d]) };
    const life = createLifecycle(log);
    const stopped: string[] = [];
    await life.start('first', { stop: () => void stopped.push('first') });
    await life.start('broken', {
      stop() {
        throw new Error('stuck');
      },
    });
    await life.stop();
    expect(stopped).toEqual(['first']);
    expect(warned).toEqual([['a part failed to stop', { part: 'broken', error: 'stuck' }]]);
  });
});

describe('disposable store', () => {
  it('releases in reverse order and releases late additions at once', async () => {
    const order: number[] = [];
    const store = createDisposableStore();
    store.add(() => void order.push(1));
    store.add(async () => void order.push(2));
    await store.dispose();
    expect(order).toEqual([2, 1]);
    expect(store.disposed).toBe(true);
    store.add(() => void order.push(3));
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([2, 1, 3]);
  });

  it('clears its intervals', async () => {
    const store = createDisposableStore();
    const control = createDisposableStore();
    let ticks = 0;
    let controlTicks = 0;
    store.interval(() => ticks++, 1);
    control.interval(() => controlTicks++, 1);
    await waitFor(() => ticks > 0, { timeoutMs: 5_000, intervalMs: 1, what: 'a first tick' });
    await store.dispose();
    const after = ticks;
    // Positive control: an interval of the same period, still live, ticks five more times, so the
    // cleared one has had five chances to tick too.
    const seen = controlTicks;
    await waitFor(() => controlTicks >= seen + 5, { timeoutMs: 5_000, intervalMs: 1, what: 'the control interval' });
    await control.dispose();
    expect(ticks).toBe(after);
  });
});
