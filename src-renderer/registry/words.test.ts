// Sizes, settlement words and the relations graph's layout.
import { describe, expect, it } from 'vitest';
import { formatBytes, relationsLayout, settlementWords } from './words.ts';

describe('registry words', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
  });
  it('says how far a record is from settlement', () => {
    expect(settlementWords(1, 3)).toBe('Witnessed by 1 of 3 nodes');
    expect(settlementWords(4, 3)).toBe('Settled: witnessed by 4 nodes');
  });
  it('lays out relations: incoming left, outgoing right, the record centred', () => {
    const g = relationsLayout({
      id: 'r',
      name: 'Cuento',
      relations: [
        { type: 'translation-of', hash: 'a'.repeat(128), known: [{ id: 'x', name: 'Tale' }] },
        { type: 'references', hash: 'b'.repeat(128), known: [] },
      ],
      relatedFrom: [{ id: 'y', name: 'Cuento (PDF)', type: 'format-of' }],
    });
    const centre = g.nodes.find((n) => n.centre)!;
    expect(centre.x).toBe(g.width / 2);
    expect(g.nodes.filter((n) => n.x > centre.x).map((n) => n.label)).toEqual(['Tale', `${'b'.repeat(10)}…`]);
    expect(g.nodes.filter((n) => n.x < centre.x).map((n) => n.label)).toEqual(['Cuento (PDF)']);
    expect(g.edges).toEqual([
      { from: expect.stringMatching(/^in-/), to: 'centre', label: 'format-of' },
      { from: 'centre', to: expect.stringMatching(/^out-translation-of/), label: 'translation-of' },
      { from: 'centre', to: expect.stringMatching(/^out-references/), label: 'references' },
    ]);
  });
});
