// A page whose feature comes in a later release: says plainly what it will do. No sample data.
import { href } from '../app/routes.ts';
import { PageHeader } from './PageHeader.tsx';

export function ComingSoon(props: { id: string; title: string; body: string }) {
  return (
    <section className="page-narrow" data-testid={`coming-${props.id}`}>
      <PageHeader title={props.title} />
      <div className="panel">
        <p className="prose">{props.body}</p>
        <p className="muted small">
          Meanwhile you can connect your coin wallets on the <a href={href('wallets')}>Wallets</a> page and check your
          peers on the <a href={href('network')}>Network</a> page.
        </p>
      </div>
    </section>
  );
}
