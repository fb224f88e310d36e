// The composition root builds modules in order, gives each exactly what it names, merges their
// handlers and stops them in reverse; the real module list handles every contract method.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src-shared/api/contract.ts';
import { silentLogger } from '../kernel/log.ts';
import { defineModule, type ModuleInstance } from '../kernel/module.ts';
import { MODULES } from './modules.ts';
import { parseConfig } from './config.ts';
import { startNode } from './node.ts';

declare module '../kernel/module.ts' {
  interface Components {
    testClock: { now(): number };
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'hashlock-node-'));
  dirs.push(d);
  return d;
};

describe('startNode with a list of modules', () => {
  it('builds in order, passes components on, merges handlers, and stops in reverse', async () => {
    const steps: string[] = [];
    const clock = defineModule({
      name: 'clock',
      needs: [],
      provides: ['testClock'],
      create: (): ModuleInstance<'testClock'> => ({
        provides: { testClock: { now: () => 42 } },
        start: () => void steps.push('start clock'),
        stop: () => void steps.push('stop clock'),
      }),
    });
    const info = defineModule({
      name: 'info',
      needs: ['testClock'],
      create: (c) => ({
        start: () => void steps.push(`start info at ${c.testClock.now()}`),
        stop: () => void steps.push('stop info'),
        handlers: { 'settings.get': () => ({ theme: 'dark' }) as never },
      }),
    });
    const node = await startNode({
      dataDir: dataDir(),
      log: silentLogger,
      config: parseConfig({}),
      modules: [clock, info],
    });
    expect(steps).toEqual(['start clock', 'start info at 42']);
    const outcome = await node.dispatcher.call('node.info', {}, { transport: 'internal' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'METHOD_NOT_FOUND' } });
    await node.stop();
    expect(steps).toEqual(['start clock', 'start info at 42', 'stop info', 'stop clock']);
  });

  it('refuses a module whose needs no earlier module provides, and stops what had started', async () => {
    const stopped: string[] = [];
    const first = defineModule({
      name: 'first',
      needs: [],
      create: () => ({ stop: () => void stopped.push('first') }),
    });
    const needy = defineModule({ name: 'needy', needs: ['testClock'], create: () => ({}) });
    await expect(
      startNode({ dataDir: dataDir(), log: silentLogger, config: parseConfig({}), modules: [first, needy] }),
    ).rejects.toThrow('module needy needs testClock, which no module before it provides');
    expect(stopped).toEqual(['first']);
  });

  it('refuses two modules handling one method', async () => {
    const a = defineModule({
      name: 'a',
      needs: [],
      create: () => ({ handlers: { 'vault.status': () => ({ state: 'absent' as const }) } }),
    });
    const b = defineModule({
      name: 'b',
      needs: [],
      create: () => ({ handlers: { 'vault.status': () => ({ state: 'absent' as const }) } }),
    });
    await expect(
      startNode({ dataDir: dataDir(), log: silentLogger, config: parseConfig({}), modules: [a, b] }),
    ).rejects.toThrow('method vault.status is handled by two modules');
  });
});

describe('the node modules', () => {
  it('together handle every method of the contract', async () => {
    const node = await startNode({ dataDir: dataDir(), log: silentLogger, config: parseConfig({}) });
    try {
      const missing: string[] = [];
      for (const m of METHOD_NAMES) {
        const outcome = await node.dispatcher.call(m, {}, { transport: 'internal' });
        if (!outcome.ok && outcome.error.code === 'METHOD_NOT_FOUND' && /not available/.test(outcome.error.message)) {
          missing.push(m);
        }
      }
      expect(missing).toEqual([]);
    } finally {
      await node.stop();
    }
  });

  it('claim each config key and component once', () => {
    const keys = MODULES.flatMap((m) => Object.keys(m.config ?? {}));
    expect(new Set(keys).size).toBe(keys.length);
    const provided = MODULES.flatMap((m) => (m.provides ?? []) as readonly string[]);
    expect(new Set(provided).size).toBe(provided.length);
  });
});
