// A payment request the pay spec must see expired. Requests live at least a minute, so the devnet's
// market maker signs one (with its published identity) as soon as the e2e devnet is up, and the
// minute passes while the specs before pay.spec.ts run, instead of inside it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createNodeRpc } from '../src-main/cli/rpc-client.ts';
import type { DevnetState } from '../src-main/devnet/layout.ts';
import { until } from './devnet.ts';

export interface ExpiringRequest {
  readonly uri: string;
  /** When it was made (ms): it expires a minute later. */
  readonly made: number;
}

export const EXPIRES_IN_SEC = 60;
/** The name the devnet publishes its market maker's identity under (devnet/maker-identity.ts). */
const MAKER_NAME = 'Devnet Market Maker';

const fileBeside = (stateFile: string) => path.join(path.dirname(stateFile), 'expiring-request.json');

/** Called by global-setup once the devnet is up: the maker's identity, then its request. */
export async function makeExpiringRequest(stateFile: string): Promise<void> {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DevnetState;
  const maker = state.nodes.find((n) => n.name === 'maker');
  if (!maker) throw new Error('the e2e devnet has no market maker node');
  const rpc = createNodeRpc(maker.url, maker.token, 30_000);
  let did: string | undefined;
  await until(
    async () =>
      (did = (await rpc.call('identity.list', { mine: true })).items.find(
        (i) => i.profile.name === MAKER_NAME && !i.deleted,
      )?.did) !== undefined,
    "the market maker's identity",
    60_000,
  );
  const made = Date.now();
  const { uri } = await rpc.call('payments.requestCreate', {
    ticker: 'DEVA',
    amount: '0.1',
    label: MAKER_NAME,
    identity: did,
    expiresInSec: EXPIRES_IN_SEC,
  });
  writeFileSync(fileBeside(stateFile), JSON.stringify({ uri, made } satisfies ExpiringRequest));
}

export function expiringRequest(stateFile: string): ExpiringRequest {
  return JSON.parse(readFileSync(fileBeside(stateFile), 'utf8')) as ExpiringRequest;
}
