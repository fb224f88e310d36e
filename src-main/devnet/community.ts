// The devnet's community: the market maker owns "Devnet lounge" as its published identity (see
// maker-identity.ts), kept encrypted by the service node (the devnet's storage node), with a few
// messages that say what the network is. Each trader is invited and joins once the person at its
// UI has made a vault, so a newcomer finds a community with a conversation on the Communities
// page. A member is a published identity: a trader without one gets one named after it first
// (the devnet's, as the vault's and wallets' passwords are), shown verified to the others.
import type { NodeRpc } from '../cli/rpc-client.ts';
import type { Logger } from '../kernel/log.ts';

export const LOUNGE = 'Devnet lounge';

/** What the maker says to each newcomer (MLS gives no history: each hears it when admitted). */
export const loungeMessages = (name: string): string[] => [
  `Welcome to the devnet lounge, ${name}. Everything here is encrypted end to end with MLS: only members hold the keys.`,
  'The service node keeps the encrypted messages for members who were offline; it cannot read them, it sees only sizes and times.',
  'I am the market maker: I keep a few DEVA/DEVB orders on the book. Take one on the Trade page and watch the swap go through both chains.',
  'Try it: make an invitation link on the Members tab, open the other trader’s window and join with it. Remove them afterwards and see that they read nothing new.',
];

/** The profile name of the identity made for a trader that has none: "Alice" for alice. */
export const traderName = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** A trader's published identity to join with, made when it has none. */
async function traderIdentity(t: { name: string; rpc: NodeRpc }, log: Logger): Promise<{ did: string; name: string }> {
  const usable = await t.rpc.call('communities.identities', {});
  if (usable[0]) return { did: usable[0].did, name: usable[0].name ?? traderName(t.name) };
  const name = traderName(t.name);
  const made = await t.rpc.call('identity.create', {
    label: 'devnet lounge',
    profile: { name, title: 'Devnet trader' },
  });
  log.info('devnet trader identity published', { trader: t.name, did: made.did });
  return { did: made.did, name };
}

export interface SeederOptions {
  maker: NodeRpc;
  /** The traders' APIs by name: each joins once its vault is unlocked. */
  traders: ReadonlyArray<{ name: string; rpc: NodeRpc }>;
  /** The storage node's peer id (the service node). */
  storagePeerId: string;
  log: Logger;
  intervalMs?: number;
}

export function startCommunitySeeder(o: SeederOptions): { stop(): void; tick(): Promise<void> } {
  let id: string | undefined;
  let busy = false;
  let stopped = false;
  const joined = new Set<string>();
  /** The name each trader asked to join as, to greet it by. */
  const names = new Map<string, string>();
  let lastProblem = '';

  async function ensureLounge(): Promise<string | undefined> {
    if (id) return id;
    const known = (await o.maker.call('communities.list', { kind: 'community' })).find((c) => c.name === LOUNGE);
    if (known) return (id = known.id);
    const store = (await o.maker.call('communities.storageNodes', {})).find((n) => n.peerId === o.storagePeerId);
    // The storage node must be connected to be named; until it is, wait for the next tick.
    if (!store) return undefined;
    const c = await o.maker.call('communities.create', {
      name: LOUNGE,
      description: 'The demo network’s own community: ask, try things, remove and invite each other.',
      invite: 'members',
      persistence: { mode: 'store', nodes: [{ peerId: store.peerId, key: store.key }], retentionDays: 30 },
    });
    o.log.info('devnet community created', { id: c.id });
    return (id = c.id);
  }

  async function tick(): Promise<void> {
    if (busy || stopped || joined.size === o.traders.length) return;
    busy = true;
    try {
      const lounge = await ensureLounge();
      if (!lounge) return;
      for (const t of o.traders) {
        if (joined.has(t.name)) continue;
        if ((await t.rpc.call('vault.status', {})).state !== 'unlocked') continue;
        const there = (await t.rpc.call('communities.list', {})).find((c) => c.id === lounge);
        if (!there) {
          const identity = await traderIdentity(t, o.log);
          names.set(t.name, identity.name);
          const { link } = await o.maker.call('communities.invite', { id: lounge });
          await t.rpc.call('communities.join', { link, identity: identity.did });
          o.log.info('devnet trader asked to join the lounge', { trader: t.name });
        } else if (there.state === 'joined') {
          // Admitted: what is said from now on it can read.
          joined.add(t.name);
          for (const text of loungeMessages(names.get(t.name) ?? traderName(t.name)))
            await o.maker.call('communities.send', { id: lounge, channel: 'general', text });
        }
      }
      lastProblem = '';
    } catch (err) {
      const text = (err as Error).message;
      if (text !== lastProblem) o.log.warn('devnet community waits', { reason: text });
      lastProblem = text;
    } finally {
      busy = false;
    }
  }

  const timer = setInterval(() => void tick(), o.intervalMs ?? 3000);
  timer.unref();
  void tick();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    tick,
  };
}
