// Bucket rules: what parses, what matches, and a dry run that refuses what the disk cannot hold.
import { describe, expect, it } from 'vitest';
import { reasonOf } from './errors.ts';
import { DISK_RESERVE_BYTES, matches, parseRule, planBucket, type RuleSubject } from './rules.ts';

const ALICE = 'did:is:PRmYwgdN8JzoYHrjuGzb2QWcusMrG7sUtM';
const subject: RuleSubject = {
  language: 'es-MX',
  licence: { spdx: 'CC-BY-4.0 OR MIT' },
  format: 'video/webm',
  size: 5_000,
  signer: 'did:is:signer',
  cosigners: ['trusted1', 'stranger1', 'stranger2'],
  settled: false,
};
const ctx = { trustDepth: (did: string) => ({ 'did:is:signer': 2, trusted1: 1 })[did] };

function refusal(x: unknown): string | undefined {
  try {
    parseRule(x);
    return undefined;
  } catch (err) {
    return reasonOf(err);
  }
}

describe('bucket rules', () => {
  it.each([
    ['an empty all (everything)', { all: [] }, true],
    ['Spanish', { language: ['es'] }, true],
    ['French', { language: ['fr'] }, false],
    ['licences all allowed', { licence: ['CC-BY-4.0', 'MIT'] }, true],
    ['one licence of two missing', { licence: ['MIT'] }, false],
    ['video/*', { format: ['video/*'] }, true],
    ['at most 4 kB', { maxSize: 4_000 }, false],
    ['signer within trust depth 2', { trustDepth: 2 }, true],
    ['signer within trust depth 1', { trustDepth: 1 }, false],
    ['three co-signers of any kind', { minCosigners: 3, trusted: false }, true],
    ['two trusted co-signers', { minCosigners: 2, trusted: true }, false],
    ['settled', { settled: true }, false],
    [
      'not settled, Spanish, small enough',
      { all: [{ not: { settled: true } }, { language: ['es'] }, { maxSize: 10_000 }] },
      true,
    ],
    ['any of French or big', { any: [{ language: ['fr'] }, { minSize: 10_000 }] }, false],
  ])('%s', (_name, rule, expected) => {
    expect(matches(parseRule(rule), subject, ctx)).toBe(expected);
  });

  it('a free-text licence never matches a licence rule', () => {
    expect(matches({ licence: ['MIT'] }, { ...subject, licence: { text: 'MIT-ish' } }, ctx)).toBe(false);
  });

  it.each([
    ['two members', { language: ['es'], maxSize: 3 }],
    ['an unknown member', { colour: ['blue'] }],
    ['a bad language range', { language: ['es_MX'] }],
    ['a licence expression instead of an id', { licence: ['MIT OR GPL-2.0-only'] }],
    ['a bad format', { format: ['video'] }],
    ['trust depth 9', { trustDepth: 9 }],
    ['minCosigners without trusted', { minCosigners: 2 }],
    ['a signer that is not a DID', { signers: ['alice'] }],
    ['nesting too deep', Array.from({ length: 10 }).reduce<unknown>((r) => ({ not: r }), { settled: true })],
    ['an array', [{ settled: true }]],
    ['over 4 KiB', { signers: Array.from({ length: 64 }, () => ALICE.padEnd(90, 'x')) }],
  ])('refuses %s', (_name, rule) => {
    expect(refusal(rule)).toBe('RULE_INVALID');
  });
});

describe('dry run', () => {
  const matching = [
    { hash: 'a', size: 600 },
    { hash: 'b', size: 400 },
  ];
  it('counts what is mirrored already and what is new', () => {
    const plan = planBucket({
      matching,
      mirrored: new Map([['a', 600]]),
      maxBytes: 2_000,
      freeBytes: DISK_RESERVE_BYTES + 10_000,
    });
    expect(plan).toMatchObject({
      totalBytes: 1_000,
      alreadyBytes: 600,
      newBytes: 400,
      newCount: 1,
      fits: true,
      reason: null,
    });
  });
  it('refuses a rule over the quota', () => {
    const plan = planBucket({ matching, mirrored: new Map(), maxBytes: 999, freeBytes: DISK_RESERVE_BYTES * 2 });
    expect(plan.fits).toBe(false);
    expect(plan.reason).toMatch(/quota/);
  });
  it('refuses a rule matching everything on a small disk', () => {
    const plan = planBucket({ matching, mirrored: new Map(), maxBytes: 10 ** 12, freeBytes: DISK_RESERVE_BYTES + 500 });
    expect(plan.fits).toBe(false);
    expect(plan.reason).toMatch(/disk/);
  });
});
