import { describe, expect, it } from 'vitest';
import { stateWords } from './order-states.ts';

describe('order states in words', () => {
  it.each([
    [{ kind: 'stop', state: 'new' }, 'Waiting for its trigger'],
    [{ kind: 'limit', state: 'new' }, 'Waiting for a service node'],
    [{ kind: 'stop', state: 'finished' }, 'Filled'],
    [{ kind: 'market', state: 'rolledback' }, 'Rolled back'],
  ] as const)('%j reads "%s"', (o, words) => {
    expect(stateWords(o)).toBe(words);
  });
});
