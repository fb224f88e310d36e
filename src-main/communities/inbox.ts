// A decrypted application message, after MLS named its sender: the inner message parsed under its
// caps, a live flood cut by the rate rules (hidden and counted, its publisher scored), the message
// kept (sealed) and handed to the timeline, and control messages acted on (control.ts).
import { decodeInner, isEnvelopeError, messageId } from '../../src-shared/communities/envelope.ts';
import type { Inner } from '../../src-shared/communities/envelope.ts';
import { NO_RATES, pruneRates, rateCheck } from '../../src-shared/communities/rate.ts';
import type { RateState } from '../../src-shared/communities/rate.ts';
import { createControl, type ControlHooks } from './control.ts';
import type { Env } from './env.ts';
import type { Source } from './ingest.ts';
import type { CommunityRow } from './repo.ts';
import type { Timelines } from './timelines.ts';

export interface Decrypted {
  did: string;
  device: string;
  plaintext: Uint8Array;
  epoch: number;
  expired: boolean;
}

/** The message row (plaintext sealed), control kinds acted on, lastMessageAt moved; fresh: false when it was known. */
function store(
  env: Env,
  control: ReturnType<typeof createControl>,
  row: CommunityRow,
  m: { did: string; device: string; epoch: number; inner: Inner },
  at: { sealed: string; receivedAt: number },
) {
  const id = messageId(m.did, m.device, m.inner);
  const inner = m.inner;
  const stored = env.repo.messages.insert(row.id, {
    id,
    did: m.did,
    device: m.device,
    seq: inner.seq,
    epoch: m.epoch,
    kind: inner.kind,
    ch: 'ch' in inner ? inner.ch : null,
    at: inner.at,
    receivedAt: at.receivedAt,
    sealed: at.sealed,
  });
  if (!stored) return { id, fresh: false };
  control.act(row, m.did, inner);
  if (inner.kind === 'post') env.repo.touch(row.id, inner.at);
  return { id, fresh: true };
}

/** A message's writes (its text sealed now, while the vault is open), and the timeline told once they are in. */
function messageWrites(
  env: Env,
  control: ReturnType<typeof createControl>,
  timelines: Timelines,
  row: CommunityRow,
  m: { did: string; device: string; epoch: number; inner: Inner },
  live: boolean,
  alongside?: () => void,
) {
  // Sealed and timed when read, also when the write waits for the page's seal.
  const at = { sealed: env.sealer.sealText(JSON.stringify(m.inner)), receivedAt: env.now() };
  return {
    write() {
      const kept = store(env, control, row, m, at);
      alongside?.();
      return kept;
    },
    show(kept: { id: string; fresh: boolean }) {
      if (kept.fresh)
        timelines.add(row.id, { id: kept.id, did: m.did, device: m.device, epoch: m.epoch, inner: m.inner }, live);
    },
  };
}

export function createInbox(env: Env, timelines: Timelines, hooks: ControlHooks) {
  const control = createControl(env, hooks);
  let rates: RateState = NO_RATES;
  let hidden = 0;

  /**
   * Keeps one message (ours or received) and acts on control kinds; false when it was known.
   * `alongside` writes in the same transaction (the envelope's status): one commit a message.
   */
  function keep(
    row: CommunityRow,
    m: { did: string; device: string; epoch: number; inner: Inner },
    live: boolean,
    alongside?: () => void,
  ) {
    const w = messageWrites(env, control, timelines, row, m, live, alongside);
    const stored = env.repo.transaction(w.write);
    w.show(stored);
    return stored;
  }

  /**
   * The same writes for a catch-up page's message: they wait for the next seal of the group state
   * that read it (groups.ts `defer`), one commit a page; the timeline hears of it after that commit.
   */
  function keepWithSeal(
    row: CommunityRow,
    m: { did: string; device: string; epoch: number; inner: Inner },
    live: boolean,
    alongside?: () => void,
  ): void {
    const w = messageWrites(env, control, timelines, row, m, live, alongside);
    timelines.open(row.id);
    env.groups.defer(row.id, () => {
      const kept = w.write();
      return () => w.show(kept);
    });
  }

  async function onMessage(
    row: CommunityRow,
    d: Decrypted,
    live: boolean,
    source: Source,
    settle?: (slot: { device: string; seq: number }) => void,
    withSeal?: boolean,
  ) {
    let inner: Inner;
    try {
      inner = decodeInner(d.plaintext);
    } catch (err) {
      const code = isEnvelopeError(err) ? err.code : 'message-format';
      if (source.via === 'gossip' || source.via === 'deliver')
        env.score(
          source.peer,
          code === 'attachment-too-large' ? 'oversize' : 'malformed',
          `${code} in ${row.id.slice(0, 12)}`,
        );
      return { status: 'refused' as const };
    }
    if (live) {
      const attachmentBytes = inner.kind === 'post' ? (inner.attachments ?? []).reduce((n, a) => n + a.size, 0) : 0;
      const r = rateCheck(rates, { kind: 'message', community: row.id, did: d.did, attachmentBytes }, env.now());
      if (!r.allowed) {
        hidden++;
        env.score(source.peer, 'rateLimited', `a flood of messages in ${row.id.slice(0, 12)}`);
        return { status: 'refused' as const };
      }
      rates = r.state.size > 10_000 ? pruneRates(r.state, env.now()) : r.state;
    }
    const slot = { device: d.device, seq: inner.seq };
    const m = { did: d.did, device: d.device, epoch: d.epoch, inner };
    (withSeal ? keepWithSeal : keep)(row, m, live, settle && (() => settle(slot)));
    return { status: 'done' as const, slot, deferred: withSeal === true };
  }

  return {
    onMessage,
    keep,
    hiddenCount: () => hidden,
    invite: control.invite,
    asset: control.asset,
  };
}

export type Inbox = ReturnType<typeof createInbox>;
