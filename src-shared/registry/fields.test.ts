// Field rules: BCP 47 well-formedness and basic filtering, SPDX expressions, media types, URIs.
import { describe, expect, it } from 'vitest';
import {
  anyRangeMatches,
  formatMatches,
  languageTagProblem,
  parseContentUri,
  rangeMatches,
  spdxLicences,
} from './fields.ts';

describe('language tags', () => {
  it.each([
    'es',
    'es-MX',
    'es-419',
    'zh-Hant-TW',
    'sr-Latn-RS',
    'de-DE-1996',
    'en-a-bbb-x-a-ccc',
    'zh-yue-HK',
    'x-whatever',
    'i-klingon',
    'sgn-BE-FR',
    'EN-us',
  ])('accepts %s', (tag) => expect(languageTagProblem(tag)).toBeUndefined());
  it.each([
    '',
    'e',
    'es_MX',
    'es--mx',
    'castellano',
    'es-',
    '-es',
    'de-DE-1996-1996',
    'en-a-bbb-a-ccc',
    'en-x',
    'a'.repeat(65),
    'es-MX-',
  ])('refuses %j', (tag) => expect(languageTagProblem(tag)).toBeDefined());
  it('matches ranges by prefix at subtag boundaries, case-insensitively', () => {
    expect(rangeMatches('es', 'es-MX')).toBe(true);
    expect(rangeMatches('ES', 'es-mx')).toBe(true);
    expect(rangeMatches('es', 'est')).toBe(false);
    expect(rangeMatches('es-MX', 'es')).toBe(false);
    expect(rangeMatches('*', 'fr')).toBe(true);
    expect(anyRangeMatches(['pt-BR', 'es'], 'pt-PT')).toBe(false);
  });
});

describe('SPDX expressions', () => {
  it('lists the licence ids of an expression, not the exceptions', () => {
    expect(spdxLicences('(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0')).toEqual({
      ids: ['MIT', 'Apache-2.0', 'GPL-2.0-or-later'],
    });
    expect(spdxLicences('LicenseRef-my-own')).toEqual({ ids: ['LicenseRef-my-own'] });
  });
  it.each(['', 'MIT OR', '(MIT', 'MIT)', 'AND MIT', 'MIT WITH', 'MIT Apache-2.0', 'M!T'])('refuses %j', (e) => {
    expect('problem' in spdxLicences(e)).toBe(true);
  });
});

describe('formats and URIs', () => {
  it('matches type/* wildcards', () => {
    expect(formatMatches('video/*', 'video/webm')).toBe(true);
    expect(formatMatches('video/*', 'audio/webm')).toBe(false);
    expect(formatMatches('text/plain', 'text/plain')).toBe(true);
  });
  it('parses http(s) in normal form and overlay URIs', () => {
    expect(parseContentUri('https://example.org/a%20b')).toEqual({ scheme: 'https', url: 'https://example.org/a%20b' });
    const hash = 'ab'.repeat(64);
    expect(parseContentUri(`hashlock://12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp/${hash}`)).toMatchObject({
      scheme: 'hashlock',
      hash,
    });
  });
  it.each([
    'https://example.org',
    'HTTPS://example.org/',
    'data:text/plain,hi',
    'https://a@b.org/',
    'hashlock://peer/abc',
  ])('refuses %j', (u) => expect('problem' in parseContentUri(u)).toBe(true));
});
