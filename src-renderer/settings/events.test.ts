import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { eventHarness } from '../api/event-harness.ts';
import { settingsEvents } from './events.ts';
import { settingsKeys } from './queries.ts';

describe('settings events', () => {
  it('writes pushed settings at once, without waiting for a frame', () => {
    const h = eventHarness([settingsEvents]);
    const settings: Result<'settings.get'> = {
      confirmations: { DEVA: 2 },
      feePreference: 'normal',
      theme: 'light',
      numberFormat: { groupSeparator: ' ', decimalSeparator: ',' },
      notifications: { muted: true },
    };
    h.events.dispatch({ event: 'settings.changed', data: settings });
    expect(h.qc.getQueryData(settingsKeys.current)).toEqual(settings);
    expect(h.frames).toHaveLength(0);
  });
});
