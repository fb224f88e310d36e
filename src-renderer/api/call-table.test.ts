import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { CallTable } from './call-table.ts';
import { connectionLost } from './errors.ts';
import { classifyFrame, parseEvent } from './frames.ts';

describe('CallTable', () => {
  it('resolves a call with its validated result', async () => {
    const table = new CallTable();
    const { id, result } = table.open('vault.status');
    expect(table.settle({ id, ok: true, result: { state: 'locked' } })).toBe(true);
    await expect(result).resolves.toEqual({ state: 'locked' });
    expect(table.size).toBe(0);
  });

  it("turns an error reply into an ApiError with the node's code", async () => {
    const table = new CallTable();
    const { id, result } = table.open('vault.unlock');
    table.settle({ id, ok: false, error: { code: 'VAULT_WRONG_PASSWORD', message: 'wrong password' } });
    await expect(result).rejects.toMatchObject({ name: 'ApiError', code: 'VAULT_WRONG_PASSWORD' });
  });

  it('rejects a result that breaks the contract instead of handing it to the UI', async () => {
    const table = new CallTable();
    const { id, result } = table.open('wallets.balance');
    table.settle({ id, ok: true, result: { spendable: 1.5, unconfirmed: '0', locked: '0' } });
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('INTERNAL');
    expect((err as ApiError).message).toMatch(/wallets\.balance/);
  });

  it('ignores replies to calls it does not know', () => {
    expect(new CallTable().settle({ id: 99, ok: true, result: {} })).toBe(false);
  });

  it('fails every open call when the connection is lost', async () => {
    const table = new CallTable();
    const a = table.open('node.info');
    const b = table.open('p2p.peers');
    table.failAll(connectionLost('the connection to the node closed'));
    await expect(a.result).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    await expect(b.result).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    expect(table.size).toBe(0);
  });
});

describe('incoming frames', () => {
  it('classifies replies, events and junk', () => {
    expect(classifyFrame('{"id":1,"ok":true,"result":{"ok":true}}').kind).toBe('reply');
    expect(classifyFrame('{"event":"p2p.peers","data":{"count":2}}').kind).toBe('event');
    expect(classifyFrame('not json').kind).toBe('junk');
    expect(classifyFrame('[1,2]').kind).toBe('junk');
    expect(classifyFrame('{"id":"1","ok":true}').kind).toBe('junk');
  });

  it('turns an error reply without usable error data into INTERNAL', () => {
    const f = classifyFrame('{"id":3,"ok":false,"error":"boom"}');
    expect(f.kind === 'reply' && !f.frame.ok && f.frame.error.code).toBe('INTERNAL');
  });

  it('keeps events that match the contract and drops the rest', () => {
    expect(
      parseEvent({
        event: 'wallets.balance',
        data: { ticker: 'DEVA', balance: { spendable: '1', unconfirmed: '0', locked: '0' } },
      }),
    ).toEqual({
      event: 'wallets.balance',
      data: { ticker: 'DEVA', balance: { spendable: '1', unconfirmed: '0', locked: '0' } },
    });
    expect(parseEvent({ event: 'wallets.balance', data: { ticker: 'DEVA', balance: { spendable: 1 } } })).toBeNull();
    expect(parseEvent({ event: 'no.such.event', data: {} })).toBeNull();
    expect(parseEvent({ event: 'toString', data: {} })).toBeNull();
  });
});
