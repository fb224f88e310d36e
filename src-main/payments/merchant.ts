// Who asks for a payment: the identity's profile (local registry first, peers only if the user
// allows), its private metadata opened with the request's identity-key, the user's contacts and
// history, and from those the merchant card (docs/payments.md §4, §9.4). Looked up at every
// showing, so a withdrawn profile or metadata is withdrawn from the history too.
import { isIdentityError } from '../../src-shared/identity/errors.ts';
import { imageKind, type ProfileFields } from '../../src-shared/identity/profile.ts';
import { encodeBase64url } from '../../src-shared/payments/binding.ts';
import { decideMerchantCard, type MerchantCard, type ProfileState } from '../../src-shared/payments/card.ts';
import type { Contact } from '../../src-shared/payments/lookalike.ts';
import type { PaymentRequest } from '../../src-shared/payments/uri.ts';
import { checkBinding } from '../../src-shared/payments/verify.ts';
import type { ContactView, MerchantView } from '../../src-shared/payments/views.ts';
import type { Identities } from '../identity/index.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { ContactRepo, PaymentRepo } from './repo.ts';

export interface MerchantDeps {
  readonly identities: Identities;
  readonly payments: PaymentRepo;
  readonly contacts: ContactRepo;
  /** Whether the user lets the node ask peers for a profile its registry lacks. */
  readonly askPeers: () => boolean;
  readonly now: () => number;
  readonly log: Logger;
}

interface Profile {
  readonly state: ProfileState;
  readonly source: MerchantView['source'];
  readonly fields?: ProfileFields;
}

export function createMerchants(d: MerchantDeps) {
  /** The local registry first; peers (through the identity domain's lookup) only if the user allows. */
  async function profileOf(did: string): Promise<Profile> {
    try {
      const local = await d.identities.resolve(did, { askPeers: false });
      if (local) return fromFields(local.deleted, local.profile, 'registry');
      if (d.askPeers()) {
        const found = await d.identities.resolve(did, { askPeers: true });
        if (found) return fromFields(found.deleted, found.profile, 'peers');
      }
    } catch (err) {
      d.log.warn('the registry could not resolve an identity', { did, error: errorText(err) });
    }
    return { state: { state: 'unknown' }, source: 'none' };
  }

  async function metadataOf(
    did: string,
    key: string | undefined,
  ): Promise<Pick<MerchantView, 'metadata' | 'metadataState'>> {
    if (key === undefined) return { metadataState: 'none' };
    try {
      const fields = await d.identities.openMetadata(did, key);
      return fields ? { metadata: { ...fields }, metadataState: 'opened' } : { metadataState: 'withdrawn' };
    } catch (err) {
      if (isIdentityError(err, 'METADATA_KEY_WRONG')) return { metadataState: 'wrong-key' };
      d.log.warn('opening private metadata failed', { did, error: errorText(err) });
      return { metadataState: 'unavailable' };
    }
  }

  /** The merchant as known now; undefined for a request without identity. */
  async function merchant(did: string | undefined, key: string | undefined): Promise<MerchantView | undefined> {
    if (did === undefined) return undefined;
    const [profile, metadata] = await Promise.all([profileOf(did), metadataOf(did, key)]);
    return merchantView(did, profile, metadata);
  }

  function contacts(): ContactView[] {
    const saved = d.contacts.list();
    const savedDids = new Set(saved.map((c) => c.did));
    return [
      ...saved.map((c) => ({ did: c.did, name: c.name, source: 'saved' as const, savedAt: c.savedAt })),
      ...d.payments
        .paidIdentities()
        .filter((p) => !savedDids.has(p.did))
        .map((p) => ({ did: p.did, name: p.name, source: 'paid' as const })),
    ];
  }

  /**
   * The card for paying `request` `amount` now, with the merchant beside it. The profile, logo and
   * metadata are looked up only when the identity signed this request: an unsigned `identity=`
   * could be anyone's, and its name must not be shown (§3.1).
   */
  async function judge(
    request: PaymentRequest,
    payTo: { address: string; amount: bigint | undefined; ticker: string; decimals: number },
  ): Promise<{ card: MerchantCard; merchant: MerchantView | undefined }> {
    const binding = checkBinding(request);
    const did = binding.status === 'valid' ? binding.did : undefined;
    const key = request.identity?.key ? encodeBase64url(request.identity.key) : undefined;
    const [profile, metadata] = did ? await Promise.all([profileOf(did), metadataOf(did, key)]) : [];
    const card = decideMerchantCard({
      binding,
      payTo,
      label: request.label,
      profile: profile?.state ?? { state: 'unknown' },
      now: d.now(),
      history: did ? d.payments.paidTo(did) : { count: 0 },
      contacts: contacts().map((c): Contact => ({ did: c.did, name: c.name })),
    });
    return { card, merchant: did && profile && metadata ? merchantView(did, profile, metadata) : undefined };
  }

  return { judge, merchant, contacts };
}
export type Merchants = ReturnType<typeof createMerchants>;

function fromFields(deleted: boolean, f: ProfileFields, source: 'registry' | 'peers'): Profile {
  if (deleted) return { state: { state: 'deleted' }, source };
  const name = f.name ?? f.shortname ?? f.alias ?? undefined;
  return { state: name ? { state: 'active', name } : { state: 'active' }, source, fields: f };
}

function merchantView(
  did: string,
  p: Profile,
  metadata: Pick<MerchantView, 'metadata' | 'metadataState'>,
): MerchantView {
  const f = p.fields;
  const image = f?.image ?? undefined;
  const kind = image === undefined ? undefined : imageKind(image);
  return {
    did,
    profile: p.state.state,
    source: p.source,
    ...(p.state.state === 'active' && p.state.name ? { name: p.state.name } : {}),
    ...(kind === 'data' ? { image } : {}),
    ...(kind === 'https' ? { imageUrl: image } : {}),
    ...(f?.url ? { url: f.url } : {}),
    ...metadata,
  };
}
