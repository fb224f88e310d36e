// How an identity looks wherever it is shown: picture, name, title, short name and alias, and its
// DID. The editor's live preview is this card too, so what you see is what others will see.
import type { ProfileFields } from '../../src-shared/identity/profile.ts';
import { shortenMiddle } from '../format/text.ts';
import { Avatar } from './Avatar.tsx';

export function ProfileCard(props: {
  address: string;
  profile: ProfileFields;
  deleted?: boolean;
  size?: 'small' | 'large';
  /** Off where the page shows the DID itself (with copy and QR). */
  showDid?: boolean;
  testId?: string;
}) {
  const p = props.profile;
  const large = props.size === 'large';
  const name = props.deleted ? 'Deleted identity' : (p.name ?? p.shortname ?? p.alias ?? null);
  const aka = [p.shortname, p.alias].filter((x) => x !== null && x !== name);
  return (
    <div className={`profile-card${large ? ' profile-card-large' : ''}`} data-testid={props.testId}>
      <Avatar
        image={p.image}
        name={p.name ?? p.shortname}
        address={props.address}
        size={large ? 72 : 40}
        deleted={props.deleted}
        testId={props.testId ? `${props.testId}-avatar` : undefined}
      />
      <div className="profile-card-text">
        <div className="profile-name" data-testid={props.testId ? `${props.testId}-name` : undefined}>
          {name ?? <span className="muted">No name</span>}
        </div>
        {!props.deleted && p.title ? <div className="profile-title">{p.title}</div> : null}
        {!props.deleted && aka.length > 0 ? <div className="muted small">also {aka.join(' · ')}</div> : null}
        {props.showDid === false ? null : (
          <div className="mono small muted">did:is:{large ? props.address : shortenMiddle(props.address, 10, 6)}</div>
        )}
      </div>
    </div>
  );
}
