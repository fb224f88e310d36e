// Verification badges of a signer: the links of its identity this node checked and found good
// (a domain serving its credential, an address a chain here shows). Nothing unchecked is shown.
import type { Badge } from '../../src-shared/registry/contract.ts';

const KIND_WORDS: Record<Badge['kind'], string> = {
  domain: 'verified domain',
  account: 'verified address',
};

export function Badges(props: { badges: readonly Badge[]; testId: string }) {
  if (props.badges.length === 0) return null;
  return (
    <span data-testid={props.testId}>
      {props.badges.map((b) => (
        <span key={b.target} className="badge badge-ok" title={`${KIND_WORDS[b.kind]}: ${b.target}`}>
          {' '}
          ✓ {b.label}
        </span>
      ))}
    </span>
  );
}
