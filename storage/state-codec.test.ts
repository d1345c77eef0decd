import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, isSealedState } from './state-codec.js';
import { createSecretBox } from './secret-box.js';

const box = createSecretBox(randomBytes(32));
const open = (t: string) => box.open(t);
const prompt = 'Antes de comenzar el **Registro ciudadano** necesitamos su autorización para el tratamiento de sus datos personales. '.repeat(6);
const json = JSON.stringify({ key: 'webchat/conversations/c1', item: { dialogState: { options: { prompt: { text: prompt } }, validations: { question: prompt } }, eTag: 'e1' } });

describe('conversation-state file encoding', () => {
  it('seals a deflated payload that opens back to the same JSON, at well under the size of sealing the JSON', () => {
    const text = encodeState(json, box);
    expect(isSealedState(text)).toBe(true);
    expect(text).not.toContain('Registro');
    expect(decodeState(text, open)).toBe(json);
    expect(text.length).toBeLessThan(box.seal(json).length / 2);
  });

  it('reads what earlier versions wrote: the JSON sealed as is, and plain JSON', () => {
    expect(decodeState(box.seal(json), open)).toBe(json);
    expect(decodeState(`  ${json}\n`, undefined)).toBe(json);
    expect(encodeState(json, undefined)).toBe(json);
  });

  it('refuses a sealed file without a key, a foreign key, and a payload that inflates beyond any state', () => {
    expect(() => decodeState(encodeState(json, box), undefined)).toThrow(/no key/);
    expect(() => decodeState(encodeState(json, createSecretBox(randomBytes(32))), open)).toThrow();
    const bomb = box.seal(`z1:${deflateRawSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64')}`);
    expect(() => decodeState(bomb, open)).toThrow();
  });
});
