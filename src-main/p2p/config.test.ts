import { describe, expect, it } from 'vitest';
import { P2pConfig, RELAY_LIMIT_DEFAULTS, resolveNat } from './config.ts';

const parse = (c: unknown) => P2pConfig.parse(c);

describe('NAT settings by role (docs/p2p.md "Services per role")', () => {
  it('a trader maps ports, keeps two relay reservations and relays for nobody', () => {
    expect(resolveNat('trader', parse({}))).toEqual({ announce: [], portMapping: true, relayReservations: 2 });
  });

  it('a service node serves as a relay with the documented limits, maps no port and holds no reservation', () => {
    expect(resolveNat('servicenode', parse({}))).toEqual({
      announce: [],
      portMapping: false,
      relayReservations: 0,
      relayServer: RELAY_LIMIT_DEFAULTS,
    });
    expect(RELAY_LIMIT_DEFAULTS).toEqual({
      maxReservations: 64,
      reservationTtlMs: 3_600_000,
      circuitDurationMs: 600_000,
      circuitBytes: 1_048_576,
    });
  });

  it('a public trader that opts in relays with its own limits; the rest keep their defaults', () => {
    const nat = resolveNat('trader', parse({ relay: { serve: true, circuitBytes: 65_536 }, portMapping: false }));
    expect(nat.relayServer).toEqual({ ...RELAY_LIMIT_DEFAULTS, circuitBytes: 65_536 });
    expect(nat.portMapping).toBe(false);
  });

  it('a service node operator can turn the relay off and port mapping on', () => {
    const nat = resolveNat('servicenode', parse({ relay: { serve: false }, portMapping: true, relayReservations: 1 }));
    expect(nat).toEqual({ announce: [], portMapping: true, relayReservations: 1 });
  });

  it.each([
    [{ relayReservations: 9 }, 'relayReservations'],
    [{ relay: { circuitBytes: 10 } }, 'circuitBytes'],
    [{ relay: { slots: 5 } }, 'slots'],
    [{ announce: ['not an address'] }, 'announce'],
  ])('refuses %j', (input, where) => {
    const r = P2pConfig.safeParse(input);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(where);
  });
});
