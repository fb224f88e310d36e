// Pages whose features come in later releases: say plainly what they will do. No sample data.
import type { PageId } from '../app/routes.ts';
import { href } from '../app/routes.ts';
import { PageHeader } from '../components/PageHeader.tsx';

const TEXT: Partial<Record<PageId, { title: string; body: string }>> = {
  pay: {
    title: 'Pay',
    body: 'Payments are coming. You will be able to open a payment request (a BIP21 link or QR code), see whether the merchant behind it has a verified identity, and pay it from one of your connected wallets, as well as create requests of your own.',
  },
  identity: {
    title: 'Identity',
    body: 'Identity is coming. You will be able to create a decentralized identity (did:is) from your vault\u2019s keys, publish a signed profile, and look up and verify the identities of others, for example a merchant asking you to pay.',
  },
  communities: {
    title: 'Communities',
    body: 'Communities are coming: groups whose messages are end-to-end encrypted above the peer-to-peer network, with members and roles set by the owner\u2019s signed manifest. Only members can read what is posted.',
  },
};

export function ComingSoonPage(props: { page: PageId }) {
  const text = TEXT[props.page];
  if (!text) return null;
  return (
    <section className="page-narrow" data-testid={`coming-${props.page}`}>
      <PageHeader title={text.title} />
      <div className="panel">
        <p className="prose">{text.body}</p>
        <p className="muted small">
          Meanwhile you can connect your coin wallets on the <a href={href('wallets')}>Wallets</a> page and check your
          peers on the <a href={href('network')}>Network</a> page.
        </p>
      </div>
    </section>
  );
}
