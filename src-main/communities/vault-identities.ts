// The identities a node uses in communities until the identity domain (docs/identity.md) is part
// of the node: the vault's first did:is key (m/302'/616'/0'/0/0, the key that domain calls its
// default), signing inside the vault. Nothing is published, so members show unverified.
import { addressOfKey } from '../../src-shared/identity/compact.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import { didOfAddress } from '../../src-shared/communities/ids.ts';
import type { Vault } from '../vault/index.ts';
import type { IdentitiesPart } from './secrets.ts';

const ACCOUNT = 0;

export function vaultIdentities(
  vault: Pick<Vault, 'status' | 'identityPublicKey' | 'signIdentityDigest'>,
): IdentitiesPart {
  // The DID is remembered once seen, so it is known while the vault is locked again.
  let did: string | undefined;
  const mineDid = (): string | undefined => {
    if (did === undefined && vault.status() === 'unlocked')
      did = didOfAddress(addressOfKey(vault.identityPublicKey(ACCOUNT)));
    return did;
  };
  return {
    // No registry yet: no identity is published, so nobody (ourselves included) shows verified.
    async resolve() {
      return undefined;
    },
    mine() {
      const d = mineDid();
      return d ? [{ did: d, label: null }] : [];
    },
    sign(d, digest) {
      if (d !== mineDid()) throw new ApiError('NOT_FOUND', `${d.slice(0, 80)} is not one of this node's identities.`);
      return vault.signIdentityDigest(ACCOUNT, digest);
    },
    onChanged: () => () => undefined,
  };
}
