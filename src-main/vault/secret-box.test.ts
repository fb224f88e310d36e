import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

describe('secret box', () => {
  it('gives every seal its own IV, across refills of the IV block, and opens each', () => {
    const box = createSecretBox(() => new Uint8Array(32).fill(3));
    const sealed = Array.from({ length: 600 }, (_, i) => box.seal(`secret ${i}`));
    const ivs = sealed.map((s) => Buffer.from(s.slice('sb1:'.length), 'base64').subarray(0, 12).toString('hex'));
    expect(new Set(ivs).size).toBe(600);
    expect(sealed.map((s) => box.open(s))).toEqual(Array.from({ length: 600 }, (_, i) => `secret ${i}`));
  });

  it('seals and opens with the data key it is given; another data key opens nothing', () => {
    let key = new Uint8Array(32).fill(1);
    const box = createSecretBox(() => key);
    const sealed = box.seal('a secret');
    expect(box.open(sealed)).toBe('a secret');
    key = new Uint8Array(32).fill(2);
    expect(() => box.open(sealed)).toThrow(/cannot be decrypted/);
  });

  it('drops the imported key on forget: a data key changed in place is used from then on', () => {
    const key = new Uint8Array(32).fill(3);
    const box = createSecretBox(() => key);
    const sealed = box.seal('kept');
    key.fill(4);
    box.forget();
    expect(() => box.open(sealed)).toThrow(/cannot be decrypted/);
    expect(box.open(box.seal('new'))).toBe('new');
  });

  it('forgets the imported key when the vault is locked', () => {
    let locked = false;
    const key = new Uint8Array(32).fill(5);
    const box = createSecretBox(() => {
      if (locked) throw new Error('locked');
      return key;
    });
    const sealed = box.seal('x');
    locked = true;
    expect(() => box.open(sealed)).toThrow('locked');
    key.fill(6);
    locked = false;
    expect(() => box.open(sealed)).toThrow(/cannot be decrypted/);
  });
});
