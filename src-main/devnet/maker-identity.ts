// The devnet's market maker shows who it is (docs/identity.md): an identity published once with
// its vault's key, an address of its DEVA wallet linked to it (the wallet signs, the identity
// signs back), and shown on its orders, so the demo has a verified maker in the book.
import type { Logger } from '../kernel/log.ts';
import type { NodeRpc } from '../cli/rpc-client.ts';

/** A 16 × 16 PNG: small enough to travel inside the signed profile. */
const MAKER_PICTURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAaElEQVR42o3QsQ3AIAxE0RuEgkGoMgaTICbMQumjiIgEY58tXflfc7jOYyz3GhkmiJhU2gK4SaU9IPcaMaN+gWtm/QFi/vUCVCNqCXbjA9dA/YQYWA9aBuRB1cCqLQNSqwa83g3cWpgbots1bg7gfOAAAAAASUVORK5CYII=';

export async function publishMakerIdentity(rpc: NodeRpc, log: Logger): Promise<string | undefined> {
  try {
    const mine = await rpc.call('identity.list', { mine: true });
    let did = mine.items.find((v) => !v.deleted)?.did;
    if (!did) {
      const created = await rpc.call('identity.create', {
        label: 'devnet market maker',
        profile: {
          name: 'Devnet Market Maker',
          shortname: 'Maker',
          title: 'Keeps the DEVA/DEVB book on both sides',
          url: 'https://hashlock.example/devnet',
          image: MAKER_PICTURE,
        },
      });
      did = created.did;
    }
    const links = await rpc.call('identity.links.list', { did });
    if (!links.links.some((l) => !l.removed && l.kind === 'account')) {
      await rpc.call('identity.links.wallet', { did, ticker: 'DEVA' });
    }
    await rpc.call('identity.orders.set', { did });
    log.info('market maker identity published', { did });
    return did;
  } catch (err) {
    log.warn('could not publish the market maker identity', { error: (err as Error).message });
    return undefined;
  }
}
