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
    receivedAt: env.now(),
    sealed: env.sealer.sealText(JSON.stringify(inner)),
  });
  if (!stored) return { id, fresh: false };
  control.act(row, m.did, inner);
  if (inner.kind === 'post') env.repo.touch(row.id, inner.at);
  return { id, fresh: true };
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
    const stored = env.repo.transaction(() => {
      const kept = store(env, control, row, m);
      alongside?.();
      return kept;
    });
    if (stored.fresh)
      timelines.add(row.id, { id: stored.id, did: m.did, device: m.device, epoch: m.epoch, inner: m.inner }, live);
    return stored;
  }

  async function onMessage(
    row: CommunityRow,
    d: Decrypted,
    live: boolean,
    source: Source,
    settle?: (slot: { device: string; seq: number }) => void,
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
    keep(row, { did: d.did, device: d.device, epoch: d.epoch, inner }, live, settle && (() => settle(slot)));
    return { status: 'done' as const, slot };
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
