// Bucket rules (docs/registry.md §6): a small predicate language over records (all / any / not
// over language, licence, format, size, signers, trust depth, co-signatures, settlement), its
// evaluation, and the dry run's arithmetic that refuses a rule the disk or quota cannot hold.
import { registryFail } from './errors.ts';
import { anyRangeMatches, formatMatches, isMediaType, languageRangeProblem, spdxLicences } from './fields.ts';
import type { Licence } from './statements.ts';
import { MAX_TRUST_DEPTH } from './trust.ts';
import { addressOfDid } from '../identity/verify.ts';

export type Rule =
  | { readonly all: readonly Rule[] }
  | { readonly any: readonly Rule[] }
  | { readonly not: Rule }
  | { readonly language: readonly string[] }
  | { readonly licence: readonly string[] }
  | { readonly format: readonly string[] }
  | { readonly maxSize: number }
  | { readonly minSize: number }
  | { readonly signers: readonly string[] }
  | { readonly trustDepth: number }
  | { readonly minCosigners: number; readonly trusted: boolean }
  | { readonly settled: true };

export const MAX_RULE_CHARS = 4096;
export const MAX_RULE_DEPTH = 8;
const MAX_LIST = 64;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function bad(path: string, message: string): never {
  registryFail('RULE_INVALID', `${path}: ${message}`);
}

function stringList(x: unknown, path: string, check: (s: string) => string | undefined): void {
  if (!Array.isArray(x) || x.length === 0 || x.length > MAX_LIST) bad(path, `a list of 1–${MAX_LIST} entries`);
  for (const s of x) {
    const problem = typeof s === 'string' ? check(s) : 'not a string';
    if (problem) bad(path, problem);
  }
}

const sizeOk = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

function checkNode(x: unknown, path: string, depth: number): void {
  if (depth > MAX_RULE_DEPTH) bad(path, `rules nest at most ${MAX_RULE_DEPTH} deep`);
  if (!isObject(x)) bad(path, 'a rule is an object');
  const keys = Object.keys(x);
  const key = keys.find((k) => k !== 'trusted');
  if (key === 'minCosigners') {
    if (keys.length !== 2 || typeof x.trusted !== 'boolean') bad(path, 'minCosigners goes with trusted: true|false');
    if (!Number.isSafeInteger(x.minCosigners) || (x.minCosigners as number) < 0 || (x.minCosigners as number) > 1000) {
      bad(path, 'minCosigners is 0–1000');
    }
    return;
  }
  if (keys.length !== 1 || key === undefined) bad(path, 'a rule has exactly one member');
  const v = x[key];
  switch (key) {
    case 'all':
    case 'any':
      if (!Array.isArray(v) || v.length > MAX_LIST) bad(path, `${key} is a list of at most ${MAX_LIST} rules`);
      v.forEach((r, i) => checkNode(r, `${path}.${key}[${i}]`, depth + 1));
      return;
    case 'not':
      return checkNode(v, `${path}.not`, depth + 1);
    case 'language':
      return stringList(v, `${path}.language`, languageRangeProblem);
    case 'licence':
      return stringList(v, `${path}.licence`, (s) => {
        const r = spdxLicences(s);
        return 'problem' in r || r.ids.length !== 1 ? 'not one SPDX licence id' : undefined;
      });
    case 'format':
      return stringList(v, `${path}.format`, (s: string) => {
        const wildcard = s.endsWith('/*') && isMediaType(`${s.slice(0, -2)}/x`);
        return isMediaType(s) || wildcard ? undefined : 'not a media type or type/*';
      });
    case 'maxSize':
    case 'minSize':
      if (!sizeOk(v)) bad(path, `${key} is a whole number of bytes`);
      return;
    case 'signers':
      return stringList(v, `${path}.signers`, (s) => (addressOfDid(s) ? undefined : 'not a did:is DID'));
    case 'trustDepth':
      if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_TRUST_DEPTH)
        bad(path, `trustDepth is 1–${MAX_TRUST_DEPTH}`);
      return;
    case 'settled':
      if (v !== true) bad(path, 'settled is true');
      return;
    default:
      bad(path, `unknown rule "${key.slice(0, 32)}"`);
  }
}

/** Checks a rule (size, depth, members). Throws RULE_INVALID saying where. */
export function parseRule(x: unknown): Rule {
  const text = JSON.stringify(x);
  if (text === undefined || text.length > MAX_RULE_CHARS) bad('rule', `at most ${MAX_RULE_CHARS} characters of JSON`);
  checkNode(x, 'rule', 0);
  return x as Rule;
}

/** What evaluating a rule needs to know about one record. */
export interface RuleSubject {
  readonly language: string;
  readonly licence: Licence;
  readonly format: string;
  readonly size: number;
  readonly signer: string;
  readonly cosigners: readonly string[];
  readonly settled: boolean;
}

export interface RuleContext {
  /** The trust depth at which the bucket's identity trusts `did` for `language`, or undefined. */
  trustDepth(did: string, language: string): number | undefined;
}

export function matches(rule: Rule, s: RuleSubject, ctx: RuleContext): boolean {
  if ('all' in rule) return rule.all.every((r) => matches(r, s, ctx));
  if ('any' in rule) return rule.any.some((r) => matches(r, s, ctx));
  if ('not' in rule) return !matches(rule.not, s, ctx);
  if ('language' in rule) return anyRangeMatches(rule.language, s.language);
  if ('licence' in rule) {
    if (!('spdx' in s.licence)) return false;
    const parsed = spdxLicences(s.licence.spdx);
    return 'ids' in parsed && parsed.ids.every((id) => rule.licence.includes(id));
  }
  if ('format' in rule) return rule.format.some((f) => formatMatches(f, s.format));
  if ('maxSize' in rule) return s.size <= rule.maxSize;
  if ('minSize' in rule) return s.size >= rule.minSize;
  if ('signers' in rule) return rule.signers.includes(s.signer);
  if ('trustDepth' in rule) {
    const d = ctx.trustDepth(s.signer, s.language);
    return d !== undefined && d <= rule.trustDepth;
  }
  if ('minCosigners' in rule) {
    const counted = rule.trusted
      ? s.cosigners.filter((c) => {
          const d = ctx.trustDepth(c, s.language);
          return d !== undefined;
        })
      : s.cosigners;
    return counted.length >= rule.minCosigners;
  }
  return s.settled;
}

/** Room a bucket keeps free on the disk, whatever its quota says. */
export const DISK_RESERVE_BYTES = 1024 ** 3;

export interface DryRunInput {
  /** Matching content, one entry per hash. */
  readonly matching: ReadonlyArray<{ readonly hash: string; readonly size: number }>;
  /** Hashes already mirrored with their sizes. */
  readonly mirrored: ReadonlyMap<string, number>;
  readonly maxBytes: number;
  /** Free bytes on the disk holding the blobs. */
  readonly freeBytes: number;
}

export interface DryRunPlan {
  readonly totalBytes: number;
  readonly count: number;
  readonly alreadyBytes: number;
  readonly newBytes: number;
  readonly newCount: number;
  readonly fits: boolean;
  readonly reason: string | null;
}

/** Whether a rule's matches fit the quota and the disk (with its reserve); says which does not. */
export function planBucket(i: DryRunInput): DryRunPlan {
  let total = 0;
  let already = 0;
  let newCount = 0;
  for (const m of i.matching) {
    total += m.size;
    if (i.mirrored.has(m.hash)) already += m.size;
    else newCount++;
  }
  const mirroredBytes = [...i.mirrored.values()].reduce((a, b) => a + b, 0);
  const newBytes = total - already;
  const quotaLeft = i.maxBytes - mirroredBytes;
  const diskLeft = i.freeBytes - DISK_RESERVE_BYTES;
  let reason: string | null = null;
  if (newBytes > quotaLeft) {
    reason = `the rule needs ${newBytes} more bytes; the bucket's quota has ${Math.max(0, quotaLeft)} left`;
  } else if (newBytes > diskLeft) {
    reason = `the rule needs ${newBytes} more bytes; the disk has ${Math.max(0, diskLeft)} free beyond its ${DISK_RESERVE_BYTES}-byte reserve`;
  }
  return {
    totalBytes: total,
    count: i.matching.length,
    alreadyBytes: already,
    newBytes,
    newCount,
    fits: reason === null,
    reason,
  };
}
