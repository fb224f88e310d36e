// Reads bitcoin.conf / litecoin.conf the way Bitcoin Core does, so wallet detection finds the
// port and credentials the daemon really uses: [main]/[test]/[regtest] sections, `regtest.key=`
// scoped keys, `nokey=1` negation, first value wins, and network-only keys ignored at top level.
import { CodedError } from '../../src-shared/errors.ts';

export type ChainName = 'main' | 'test' | 'regtest' | 'signet';

export interface ConfEntry {
  /** Network section from `[regtest]` or a `regtest.` prefix; undefined for the top level. */
  section: string | undefined;
  key: string;
  value: string;
  /** `nokey=1`: the setting is switched off (and earlier values of it are dropped). */
  negated: boolean;
  line: number;
}

export interface Conf {
  readonly entries: readonly ConfEntry[];
}

/** The daemon refuses to start with such a file, so detection reports it instead of guessing. */
export type ConfParseError = CodedError<'CONF_PARSE', { line: number }>;
const confParseError = (line: number, message: string): ConfParseError =>
  new CodedError('CONF_PARSE', `line ${line}: ${message}`, { line });

/**
 * Options that Bitcoin Core ignores in the top-level section unless the chain is mainnet
 * (a stray `rpcport=` meant for mainnet must not move the regtest port).
 */
export const NETWORK_ONLY_KEYS: ReadonlySet<string> = new Set([
  'addnode',
  'connect',
  'port',
  'bind',
  'rpcport',
  'rpcbind',
  'wallet',
]);

const WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function parseConf(text: string): Conf {
  const entries: ConfEntry[] = [];
  let prefix = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i] ?? '';
    const hash = line.indexOf('#');
    const usedHash = hash >= 0;
    if (usedHash) line = line.slice(0, hash);
    line = line.replace(WHITESPACE, '');
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      const section = line.slice(1, -1).replace(WHITESPACE, '');
      prefix = section === '' ? '' : `${section}.`;
      continue;
    }
    if (line.startsWith('-'))
      throw confParseError(lineNo, `"${line}": options in the conf file are written without a leading -`);
    const eq = line.indexOf('=');
    if (eq < 0) {
      const hint = line.startsWith('no') ? `; to switch an option off write ${line}=1` : '';
      throw confParseError(lineNo, `"${line}" is not a key=value line${hint}`);
    }
    const name = prefix + line.slice(0, eq).replace(WHITESPACE, '');
    const value = line.slice(eq + 1).replace(WHITESPACE, '');
    if (usedHash && name.includes('rpcpassword')) {
      throw confParseError(lineNo, 'a # in rpcpassword is ambiguous (everything after # is a comment)');
    }
    const dot = name.indexOf('.');
    const section = dot >= 0 ? name.slice(0, dot) : undefined;
    let key = dot >= 0 ? name.slice(dot + 1) : name;
    if (key === '') throw confParseError(lineNo, `"${line}" has no option name`);
    let negated = false;
    let effective = value;
    if (key.startsWith('no') && key.length > 2) {
      key = key.slice(2);
      negated = interpretBool(value);
      if (!negated) effective = '1';
    }
    entries.push({ section, key, value: negated ? '' : effective, negated, line: lineNo });
  }
  return { entries };
}

/** Bitcoin Core's InterpretBool: an empty value means true, otherwise the leading integer != 0. */
export function interpretBool(value: string): boolean {
  if (value === '') return true;
  const m = /^[ \t]*([+-]?[0-9]+)/.exec(value);
  return m ? Number(m[1]) !== 0 : false;
}

/** Entries of one source (network section or top level), after the last negation. */
function span(conf: Conf, section: string | undefined, key: string): { values: string[]; negated: boolean } {
  const all = conf.entries.filter((e) => e.section === section && e.key === key);
  let lastNegation = -1;
  all.forEach((e, i) => {
    if (e.negated) lastNegation = i;
  });
  return { values: all.slice(lastNegation + 1).map((e) => e.value), negated: lastNegation >= 0 };
}

function sources(chain: ChainName, key: string): (string | undefined)[] {
  return chain !== 'main' && NETWORK_ONLY_KEYS.has(key) ? [chain] : [chain, undefined];
}

/** The value the daemon would use for `key` on `chain` (undefined when unset or negated). */
export function confGet(conf: Conf, chain: ChainName, key: string): string | undefined {
  for (const section of sources(chain, key)) {
    const s = span(conf, section, key);
    if (s.values.length > 0) return s.values[0];
    if (s.negated) return undefined;
  }
  return undefined;
}

/** All values of a list option (wallet=, rpcbind=) on `chain`, network section first. */
export function confGetAll(conf: Conf, chain: ChainName, key: string): string[] {
  const out: string[] = [];
  for (const section of sources(chain, key)) {
    const s = span(conf, section, key);
    out.push(...s.values);
    if (s.negated) break;
  }
  return out;
}

/** Which chain a daemon started with only this conf runs (regtest=1, testnet=1, chain=...). */
export function confChain(conf: Conf): ChainName {
  // Bitcoin Core reads the chain choice from the top level only, never from a network section.
  const top = (key: string): string | undefined => span(conf, undefined, key).values[0];
  const flag = (key: string): boolean => {
    const v = top(key);
    return v !== undefined && interpretBool(v);
  };
  const regtest = flag('regtest');
  const testnet = flag('testnet');
  const signet = flag('signet');
  if (Number(regtest) + Number(testnet) + Number(signet) > 1) {
    throw confParseError(0, 'more than one of regtest=1, testnet=1 and signet=1 is set');
  }
  if (regtest) return 'regtest';
  if (testnet) return 'test';
  if (signet) return 'signet';
  const chain = top('chain');
  if (chain === undefined || chain === 'main') return 'main';
  if (chain === 'test' || chain === 'regtest' || chain === 'signet') return chain;
  throw confParseError(0, `chain=${chain} is not one of main, test, regtest, signet`);
}
