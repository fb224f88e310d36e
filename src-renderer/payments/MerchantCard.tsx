// The merchant card: who asks for the payment and how sure Hashlock is, in one colour and one
// sentence per state (docs/payments.md §4). A name and logo are shown only when the node put
// them there, which it does only for an identity that signed the request.
import type { Result } from '../../src-shared/api/contract.ts';

type Parsed = Result<'payments.parse'>;

const STATE_WORDS: Record<Parsed['card']['state'], string> = {
  known: 'Paid before',
  verified: 'Verified contact',
  new: 'Signed · new',
  anonymous: 'No identity',
  unbound: 'Not signed',
  lookalike: 'Lookalike',
  mismatch: 'Changed',
  expired: 'Expired',
  deleted: 'Deleted',
};

export function MerchantCard(props: {
  card: Parsed['card'];
  merchant?: Parsed['merchant'];
  actions?: React.ReactNode;
}) {
  const { card, merchant } = props;
  const name = card.name;
  return (
    <section
      className={`merchant-card ${card.className}`}
      data-testid="merchant-card"
      data-state={card.state}
      data-colour={card.colour}
      data-verified={card.verified ? 'true' : 'false'}
      data-blocked={card.blocked ? 'true' : 'false'}
      aria-label={`Merchant: ${card.title}`}
    >
      <div className="merchant-head">
        <Logo image={card.verified ? merchant?.image : undefined} name={name} />
        <div>
          <span className="merchant-state" data-testid="merchant-state">
            {STATE_WORDS[card.state]}
          </span>
          {name ? (
            <p className="merchant-name" data-testid="merchant-name">
              {name}
            </p>
          ) : null}
          <p className="merchant-title" data-testid="merchant-title">
            {card.title}
          </p>
        </div>
      </div>
      <p className="merchant-detail" data-testid="merchant-detail">
        {card.detail}
      </p>
      {card.did ? (
        <p className="merchant-did" data-testid="merchant-did">
          {card.did}
        </p>
      ) : null}
      {merchant && card.verified ? <MerchantFacts merchant={merchant} /> : null}
      {props.actions}
    </section>
  );
}

export function Logo(props: { image: string | undefined; name: string | undefined; testId?: string }) {
  if (props.image) {
    return <img className="merchant-logo" src={props.image} alt="" data-testid={props.testId ?? 'merchant-logo'} />;
  }
  return (
    <span className="merchant-logo placeholder" aria-hidden="true">
      {(props.name ?? '?').trim().charAt(0).toUpperCase() || '?'}
    </span>
  );
}

function MerchantFacts(props: { merchant: NonNullable<Parsed['merchant']> }) {
  const m = props.merchant;
  const metadata = Object.entries(m.metadata ?? {});
  return (
    <>
      {m.source === 'peers' ? (
        <p className="small muted">This profile came from peers; your registry has not stored it yet.</p>
      ) : null}
      {m.profile === 'unknown' ? <p className="small muted">No profile of this identity is known yet.</p> : null}
      {m.imageUrl ? (
        <p className="small muted">Its logo is on the web ({m.imageUrl}); Hashlock does not load remote images.</p>
      ) : null}
      {metadata.length > 0 ? (
        <dl className="merchant-meta" data-testid="merchant-metadata">
          {metadata.map(([k, v]) => (
            <div key={k} className="meta-row">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {m.metadataState === 'withdrawn' ? (
        <p className="small muted" data-testid="merchant-metadata-withdrawn">
          The private details this request opened have been withdrawn by the merchant.
        </p>
      ) : null}
      {m.metadataState === 'wrong-key' ? (
        <p className="small muted">The request&rsquo;s key does not open this identity&rsquo;s private details.</p>
      ) : null}
    </>
  );
}
