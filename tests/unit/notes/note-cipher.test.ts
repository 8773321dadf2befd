import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalNoteCipher } from '../../../shared/adapters/note-cipher/local-note-cipher.js';
import { LOCAL_NOTE_KEY_VARIABLE, noteCipherFromEnvironment } from '../../../shared/adapters/note-cipher/note-cipher-from-environment.js';
import { SealedNoteSchema } from '../../../shared/domain/notes/psychotherapy-notes.js';

const binding = { authorId: 'therapist-1', noteId: 'note-1' };

describe('the local note cipher (envelope, AES-256-GCM)', () => {
  const cipher = createLocalNoteCipher(randomBytes(32));

  it('opens what it sealed, for any text, and the sealed form is not the text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 500 }), async (text) => {
        const sealed = await cipher.encrypt(text, binding);
        expect(SealedNoteSchema.parse(sealed)).toEqual(sealed);
        // Long enough not to occur in base64 by chance: the text is not in the sealed form.
        if (text.length > 8) expect(JSON.stringify(sealed)).not.toContain(text);
        expect(await cipher.decrypt(sealed, binding)).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses another author, another note, another key, a changed ciphertext', async () => {
    const sealed = await cipher.encrypt('Synthetic note text', binding);
    await expect(cipher.decrypt(sealed, { ...binding, authorId: 'therapist-2' })).rejects.toThrow();
    await expect(cipher.decrypt(sealed, { ...binding, noteId: 'note-2' })).rejects.toThrow();
    await expect(createLocalNoteCipher(randomBytes(32)).decrypt(sealed, binding)).rejects.toThrow();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    await expect(cipher.decrypt({ ...sealed, ciphertext: bytes.toString('base64') }, binding)).rejects.toThrow();
  });

  it('a fresh data key and IV per note: the same text seals differently', async () => {
    const a = await cipher.encrypt('same', binding);
    const b = await cipher.encrypt('same', binding);
    expect(a.ciphertext === b.ciphertext && a.encryptedDataKey === b.encryptedDataKey).toBe(false);
  });

  it('fails closed without a key (no note stored in clear)', () => {
    expect(() => noteCipherFromEnvironment({})).toThrow(/PSYCHOTHERAPY_NOTE_KEY_ARN/);
    expect(() => noteCipherFromEnvironment({ [LOCAL_NOTE_KEY_VARIABLE]: randomBytes(16).toString('base64') })).toThrow();
    expect(noteCipherFromEnvironment({ [LOCAL_NOTE_KEY_VARIABLE]: randomBytes(32).toString('base64') })).toBeDefined();
  });
});
