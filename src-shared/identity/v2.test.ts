// Blockcore's v2 operations from its DID server's examples: the chain applies in order, its
// deactivation ends it, and forged or out-of-order operations are refused.
import { describe, expect, it } from 'vitest';
import { isIdentityError } from './errors.ts';
import { applyV2Operation, isV2Did, type V2State } from './v2.ts';
import v2 from './fixtures/did-is-v2.json' with { type: 'json' };

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (isIdentityError(err)) return err.details.reason;
    throw err;
  }
}

function applyAll(ops: readonly { jws: string }[]): V2State | undefined {
  return ops.reduce<V2State | undefined>((state, op) => applyV2Operation(state, op.jws), undefined);
}

describe('did:is v2 (read only)', () => {
  it('applies the create, four replaces and the delete in order', () => {
    const state = applyAll(v2.chain)!;
    expect(state.did).toBe(v2.did);
    expect(state.version).toBe(5);
    expect(state.document).toBeNull();
    expect(state.createdIat).toBe(1668681632);
    expect(state.iat).toBe(1668686145);
  });

  it('keeps the document of the last replace before the delete', () => {
    const state = applyAll(v2.chain.slice(0, 5))!;
    expect(state.version).toBe(4);
    expect(state.document).toMatchObject({ id: v2.did, service: [{ type: 'BlockExplorer' }] });
  });

  it('refuses an operation after the deactivation', () => {
    const state = applyAll(v2.chain);
    expect(reason(() => applyV2Operation(state, v2.afterDeactivation.jws))).toBe(v2.afterDeactivation.reason);
  });

  it('refuses a skipped version and a replayed one', () => {
    const created = applyAll(v2.chain.slice(0, 1));
    expect(reason(() => applyV2Operation(created, v2.chain[2]!.jws))).toBe('V2_INVALID');
    const twice = applyAll(v2.chain.slice(0, 2));
    expect(reason(() => applyV2Operation(twice, v2.chain[1]!.jws))).toBe('V2_INVALID');
  });

  it('refuses an update as the first operation', () => {
    expect(reason(() => applyV2Operation(undefined, v2.chain[1]!.jws))).toBe('V2_INVALID');
  });

  it('refuses a create whose document was edited after signing', () => {
    const [h, p, s] = v2.chain[0]!.jws.split('.') as [string, string, string];
    const doc = JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))) as { iat: number };
    doc.iat += 1;
    const edited = btoa(JSON.stringify(doc)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(reason(() => applyV2Operation(undefined, `${h}.${edited}.${s}`))).toBe('SIGNATURE_WRONG_KEY');
  });

  it('tells v2 identifiers from v0.0.1 addresses by syntax', () => {
    expect(isV2Did(v2.did)).toBe(true);
    expect(isV2Did('did:is:PLBNc1Ph6whu1vbQGEuRywTTHCEnfDDuXh')).toBe(false);
    expect(isV2Did(v2.did.toUpperCase())).toBe(false);
  });
});
