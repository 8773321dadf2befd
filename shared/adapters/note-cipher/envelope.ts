/**
 * AES-256-GCM with a fresh 256-bit data key per note (envelope encryption): the text is
 * encrypted under the data key with the note's additional data (noteAad: purpose, author, note),
 * and the data key is wrapped by the notes key (KMS or the local key), never stored in clear.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;

export interface GcmBox {
  iv: string;
  ciphertext: string;
  tag: string;
}

export function gcmSeal(key: Uint8Array, plaintext: Uint8Array, aad: string): GcmBox {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Throws (authentication failure) when the box, the key or the additional data differ. */
export function gcmOpen(key: Uint8Array, box: GcmBox, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(box.ciphertext, 'base64')), decipher.final()]);
}
