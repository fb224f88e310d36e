// Conf files as Bitcoin Core reads them: each valid case lists what the daemon would use on a
// chain; each invalid case names the line the daemon would refuse to start on.
import { describe, expect, it } from 'vitest';
import { confChain, confGet, confGetAll, parseConf, type ConfParseError, type ChainName } from './conf.ts';

interface ValidCase {
  name: string;
  text: string;
  chain?: ChainName;
  /** [network, key, expected value] */
  get?: [ChainName, string, string | undefined][];
  all?: [ChainName, string, string[]][];
}

const VALID: ValidCase[] = [
  { name: 'empty file means mainnet with nothing set', text: '', chain: 'main', get: [['main', 'rpcport', undefined]] },
  {
    name: 'plain key=value with comments and blank lines',
    text: '# my node\n\nserver=1\nrpcuser=alice # who\nrpcpassword=s3cret\n',
    chain: 'main',
    get: [
      ['main', 'rpcuser', 'alice'],
      ['main', 'rpcpassword', 's3cret'],
      ['main', 'server', '1'],
    ],
  },
  {
    name: 'spaces around key and value are trimmed, CRLF line ends too',
    text: '  rpcuser  =  bob  \r\nrpcport = 1234\r\n',
    get: [
      ['main', 'rpcuser', 'bob'],
      ['main', 'rpcport', '1234'],
    ],
  },
  {
    name: 'first value wins within a section',
    text: 'rpcuser=first\nrpcuser=second\n',
    get: [['main', 'rpcuser', 'first']],
  },
  {
    name: 'the network section beats the top level',
    text: 'rpcuser=top\n[regtest]\nrpcuser=reg\n',
    get: [
      ['regtest', 'rpcuser', 'reg'],
      ['main', 'rpcuser', 'top'],
      ['test', 'rpcuser', 'top'],
    ],
  },
  {
    name: 'scoped keys equal section entries',
    text: 'regtest.rpcport=18000\ntest.rpcport=18001\n',
    get: [
      ['regtest', 'rpcport', '18000'],
      ['test', 'rpcport', '18001'],
      ['main', 'rpcport', undefined],
    ],
  },
  {
    name: 'network-only keys at top level apply to mainnet only',
    text: 'rpcport=9999\nrpcbind=10.0.0.1\nwallet=w\nrpcuser=u\n',
    get: [
      ['main', 'rpcport', '9999'],
      ['regtest', 'rpcport', undefined],
      ['regtest', 'rpcuser', 'u'],
    ],
    all: [
      ['regtest', 'wallet', []],
      ['main', 'wallet', ['w']],
      ['regtest', 'rpcbind', []],
    ],
  },
  {
    name: 'regtest=1 at top selects regtest; the section carries its settings',
    text: 'regtest=1\n[regtest]\nrpcport=19555\nconnect=0\n',
    chain: 'regtest',
    get: [
      ['regtest', 'rpcport', '19555'],
      ['regtest', 'connect', '0'],
    ],
  },
  { name: 'testnet=1 selects testnet', text: 'testnet=1\n', chain: 'test' },
  { name: 'chain=regtest selects regtest', text: 'chain=regtest\n', chain: 'regtest' },
  { name: 'regtest=0 keeps mainnet', text: 'regtest=0\n', chain: 'main' },
  { name: 'an empty value counts as true for a flag', text: 'regtest=\n', chain: 'regtest' },
  { name: 'regtest=1 inside a section does not choose the chain', text: '[main]\nregtest=1\n', chain: 'main' },
  {
    name: 'nokey=1 switches an option off and drops earlier values',
    text: 'rpcpassword=old\nnorpcpassword=1\n',
    get: [['main', 'rpcpassword', undefined]],
  },
  {
    name: 'a value after the negation counts again',
    text: 'nowallet=1\nwallet=a\nwallet=b\n',
    all: [['main', 'wallet', ['a', 'b']]],
  },
  {
    name: 'list options merge the network section and the top level',
    text: 'rpcallowip=1.2.3.4\n[test]\nrpcallowip=5.6.7.8\n',
    all: [['test', 'rpcallowip', ['5.6.7.8', '1.2.3.4']]],
  },
  {
    name: 'a password may contain = and other symbols',
    text: 'rpcpassword=a=b;c"d\n',
    get: [['main', 'rpcpassword', 'a=b;c"d']],
  },
  {
    name: 'an empty section header returns to the top level',
    text: '[regtest]\nrpcuser=r\n[]\nrpcuser=t\n',
    get: [
      ['main', 'rpcuser', 't'],
      ['regtest', 'rpcuser', 'r'],
    ],
  },
];

const INVALID: { name: string; text: string; line: number; message: RegExp }[] = [
  { name: 'a line without =', text: 'server=1\nrpcuser\n', line: 2, message: /not a key=value line/ },
  { name: 'a negation written without a value', text: 'nolisten\n', line: 1, message: /nolisten=1/ },
  { name: 'a leading dash', text: '-rpcport=1\n', line: 1, message: /without a leading -/ },
  { name: 'a # inside rpcpassword', text: 'rpcuser=u\nrpcpassword=abc#def\n', line: 2, message: /# in rpcpassword/ },
  { name: 'an option name missing', text: '=1\n', line: 1, message: /no option name/ },
];

describe('parseConf: files the daemon accepts', () => {
  for (const c of VALID) {
    it(c.name, () => {
      const conf = parseConf(c.text);
      if (c.chain) expect(confChain(conf)).toBe(c.chain);
      for (const [chain, key, want] of c.get ?? []) expect(confGet(conf, chain, key), `${chain}.${key}`).toBe(want);
      for (const [chain, key, want] of c.all ?? [])
        expect(confGetAll(conf, chain, key), `${chain}.${key}`).toEqual(want);
    });
  }
});

describe('parseConf: files the daemon refuses', () => {
  for (const c of INVALID) {
    it(`rejects ${c.name}`, () => {
      let error: unknown;
      try {
        parseConf(c.text);
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'CONF_PARSE' });
      expect((error as ConfParseError).details.line).toBe(c.line);
      expect((error as Error).message).toMatch(c.message);
    });
  }

  it('rejects two chains selected at once', () => {
    expect(() => confChain(parseConf('regtest=1\ntestnet=1\n'))).toThrow(/more than one/);
  });

  it('rejects an unknown chain name', () => {
    expect(() => confChain(parseConf('chain=moon\n'))).toThrow(/chain=moon/);
  });
});
