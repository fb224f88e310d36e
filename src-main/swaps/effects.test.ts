import { describe, expect, it } from 'vitest';
import { resumeEffects } from '../../src-shared/swaps/machine.ts';
import { driveMaker, MAKER_PATH } from '../../src-shared/swaps/testkit.ts';
import type { Effect } from '../../src-shared/swaps/types.ts';
import { createSwapEffects } from './effects.ts';
import { makerLive, recordingLog, settle } from './testkit.ts';

function setup() {
  const calls: string[] = [];
  const log = recordingLog();
  const effects = createSwapEffects({
    outbox: { push: (_l, m) => void calls.push(`send ${m.type}`) },
    funding: { fund: async (_l, e) => void calls.push(`fund ${e.ticker}`) },
    spends: { request: (_l, e) => void calls.push(`spend ${e.type}`) },
    chains: { watch: (l) => void calls.push(`watch ${l.id}`) },
    log,
    background: (task) => void task.catch(() => undefined),
  });
  return { effects, calls, log };
}

describe('the swap effect runner', () => {
  it('hands every effect of a state to the part that carries it out', async () => {
    const { effects, calls } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    const all: Effect[] = [...resumeEffects(makerLive(MAKER_PATH.funding).state), ...resumeEffects(live.state)];
    for (const e of all) effects.run(live, e);
    await settle();
    expect(calls).toEqual([
      'fund DEVA',
      'watch swap-1',
      'watch swap-1',
      'watch swap-1',
      'watch swap-1',
      'spend BroadcastClaim',
    ]);
  });

  it('sends messages through the outbox', () => {
    const { effects, calls } = setup();
    const live = makerLive(MAKER_PATH.proposed);
    for (const e of resumeEffects(live.state)) effects.run(live, e);
    expect(calls).toEqual(['send swap.propose']);
  });

  it('logs a notice at its level: info as info, warnings and errors as warnings', () => {
    const { effects, log } = setup();
    const r = driveMaker([...MAKER_PATH.proposed, { type: 'Abort', reason: 'user pressed stop' }]);
    const live = makerLive(MAKER_PATH.proposed);
    for (const e of r.effects) if (e.type === 'Notify') effects.run(live, e);
    effects.run(live, { type: 'Notify', level: 'info', code: 'swap-refunded', message: 'back' });
    effects.run(live, { type: 'Notify', level: 'error', code: 'swap-lost', message: 'lost' });
    expect(log.lines.map((l) => [l.level, l.data?.code])).toEqual([
      ...r.effects.filter((e) => e.type === 'Notify').map((e) => [e.level === 'info' ? 'info' : 'warn', e.code]),
      ['info', 'swap-refunded'],
      ['warn', 'swap-lost'],
    ]);
  });
});
