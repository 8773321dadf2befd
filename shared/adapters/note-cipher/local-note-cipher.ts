/**
 * The local stack's NoteCipher: the data key of each note is wrapped with AES-256-GCM under a
 * local key (PSYCHOTHERAPY_NOTE_LOCAL_KEY, base64, 32 bytes: generated once per data folder by
 * local/note-key.ts, never committed, never deployed), with the same additional data as the
 * text. In AWS the wrapping key is the dedicated KMS key instead (kms-note-cipher.ts).
 */
import { randomBytes } from 'node:crypto';
import { noteAad, type SealedNote } from '../../domain/notes/psychotherapy-notes.js';
import type { NoteCipher } from '../../use-cases/ports.js';
import { DATA_KEY_BYTES, gcmOpen, gcmSeal } from './envelope.js';

export const LOCAL_NOTE_KEY_BYTES = 32;

export function createLocalNoteCipher(key: Uint8Array): NoteCipher {
  if (key.byteLength !== LOCAL_NOTE_KEY_BYTES) throw new RangeError(`The local psychotherapy-note key must be ${LOCAL_NOTE_KEY_BYTES} bytes.`);
  return {
    async encrypt(plaintext, binding) {
      const aad = noteAad(binding);
      const dataKey = randomBytes(DATA_KEY_BYTES);
      const wrapped = gcmSeal(key, dataKey, aad);
      const body = gcmSeal(dataKey, Buffer.from(plaintext, 'utf8'), aad);
      dataKey.fill(0);
      return { alg: 'AES-256-GCM', keyProvider: 'local', encryptedDataKey: Buffer.from(JSON.stringify(wrapped), 'utf8').toString('base64'), ...body } satisfies SealedNote;
    },
    async decrypt(sealed, binding) {
      if (sealed.keyProvider !== 'local') throw new Error('This note was sealed by another key provider.');
      const aad = noteAad(binding);
      const wrapped = JSON.parse(Buffer.from(sealed.encryptedDataKey, 'base64').toString('utf8')) as { iv: string; ciphertext: string; tag: string };
      const dataKey = gcmOpen(key, wrapped, aad);
      try {
        return gcmOpen(dataKey, sealed, aad).toString('utf8');
      } finally {
        dataKey.fill(0);
      }
    },
  };
}
