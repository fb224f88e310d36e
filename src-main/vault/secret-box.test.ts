import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

describe('secret box', () => {
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
