// The Registry page's routes: #/registry (browse and search), #/registry/record/<id>,
// #/registry/publish, #/registry/trust, #/registry/bucket.
import type { PageProps } from '../app/routes.ts';
import { href } from '../app/routes.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { Browse } from './Browse.tsx';
import { BucketPanel } from './Bucket.tsx';
import { Publish } from './Publish.tsx';
import { RecordPage } from './RecordPage.tsx';
import { TrustPanel } from './Trust.tsx';
import './registry.css';

const TABS = [
  ['', 'Browse'],
  ['publish', 'Publish'],
  ['trust', 'Trust'],
  ['bucket', 'Mirror'],
] as const;

export function RegistryPage(props: PageProps) {
  const [what, id] = props.rest;
  const current = what ?? '';
  return (
    <div className="stack" data-testid="registry-page">
      <PageHeader
        title="Registry"
        description="Signed records of content: what it is, where to fetch it, and who vouches for it."
      />
      <nav className="registry-tabs" aria-label="Registry">
        {TABS.map(([path, label]) => (
          <a
            key={path}
            href={path ? href('registry', path) : href('registry')}
            className={current === path ? 'registry-tab active' : 'registry-tab'}
            aria-current={current === path ? 'page' : undefined}
            data-testid={`registry-tab-${path || 'browse'}`}
          >
            {label}
          </a>
        ))}
      </nav>
      {what === 'record' && id ? <RecordPage key={id} id={id} /> : null}
      {what === 'publish' ? <Publish /> : null}
      {what === 'trust' ? <TrustPanel /> : null}
      {what === 'bucket' ? <BucketPanel /> : null}
      {what === undefined ? <Browse /> : null}
    </div>
  );
}
