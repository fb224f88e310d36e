// The service-node list as the validators read it (known()) and as the API shows it (all()):
// both judge silence when they are read, so between the registry's timer ticks a service node
// that fell silent is gone from both at once (found under load: the node reported no service
// nodes while still listing their coins and accepting orders they signed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRegistration, type CollateralPolicy } from '../../src-shared/orders/servicenode.ts';
import { signMessageWithKey } from '../../src-shared/orders/signed-message.ts';
import { ARRIVAL, SERVICE_NODE, SN_PEER, TXID_A, testKey } from '../../src-shared/orders/testkit.ts';
import { createP2pHost } from '../p2p/host.ts';
import { createPeerScorer } from '../orders/net.ts';
import { createServiceNodeRegistry } from './registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'hashlock-sn-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const POLICY: CollateralPolicy = { ticker: 'DEVA', amount: 1_000_000_000n, minConfirmations: 1 };
const COLLATERAL = testKey(20);
const SILENT_AFTER_MS = 4000;

describe('service node registry: known() and all() agree', () => {
  it('a service node that falls silent leaves known() when it leaves all(), without waiting for a tick', async () => {
    let clock = ARRIVAL;
    const now = () => clock;
    // A real host, never started: only start() would use the network.
    const p2p = createP2pHost({ dataDir: dir });
    // This node has no DEVA wallet: the collateral cannot be looked up ('no-chain'), as for a trader without that chain.
    const registry = createServiceNodeRegistry({
      p2p,
      log: silent,
      now,
      policy: POLICY,
      collateral: async () => 'no-chain',
      scorer: createPeerScorer({ p2p }),
      silentAfterMs: SILENT_AFTER_MS,
    });
    const wire = buildRegistration(
      {
        peerId: SN_PEER,
        collateral: { ticker: 'DEVA', outpoint: `${TXID_A}:1`, address: COLLATERAL.address },
        coins: ['DEVA', 'DEVB'],
        seq: 1,
        ts: ARRIVAL,
      },
      SERVICE_NODE.signer,
      (text) => signMessageWithKey(COLLATERAL.secretKey, utf8ToBytes(text), 'litecoin'),
    );
    expect((await registry.ingestRegistration(wire, null)).ok).toBe(true);
    expect([...registry.known().keys()]).toEqual([SERVICE_NODE.pubkey]);
    expect(registry.all().map((e) => e.registration.pubkey)).toEqual([SERVICE_NODE.pubkey]);

    clock += SILENT_AFTER_MS - 1;
    expect(registry.known().size).toBe(1);
    clock += 1;
    expect(registry.all()).toEqual([]);
    expect(registry.get(SERVICE_NODE.pubkey)).toBeUndefined();
    expect(registry.known().size).toBe(0);
  });
});
