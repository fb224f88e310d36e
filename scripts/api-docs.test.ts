import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../src-shared/api/contract.ts';
import { renderApiDocs } from './api-docs.ts';

describe('docs/api.md', () => {
  it('is generated from the current contract (run `node scripts/api-docs.ts` after changing it)', () => {
    expect(readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8')).toBe(renderApiDocs());
  });
  it('documents every method', () => {
    const text = renderApiDocs();
    for (const m of METHOD_NAMES) expect(text).toContain(`### \`${m}\``);
  });
});
