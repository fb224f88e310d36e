import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serial.ts';

describe('per-swap serial queue', () => {
  it('runs tasks one at a time in the order given, even when they await', async () => {
    const q = createSerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) =>
      q.run(async () => {
        log.push(`${name} start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name} end`);
        return name;
      });
    const results = await Promise.all([task('a', 20), task('b', 1), task('c', 5)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('keeps going after a task fails, and the failure reaches only its caller', async () => {
    const q = createSerialQueue();
    const failed = q.run(() => {
      throw new Error('boom');
    });
    const next = q.run(() => 42);
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
    await q.idle();
  });
});
