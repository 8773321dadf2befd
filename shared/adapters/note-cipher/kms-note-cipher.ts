/**
 * Psychotherapy notes in AWS: per note, KMS GenerateDataKey (AES_256) under the dedicated notes
 * key (infra/stacks/data-stack.ts; only the psychotherapy-note functions may use it, capability
 * `notes:psychotherapy`), with the encryption context { purpose, authorId, noteId }
 * (noteEncryptionContext): KMS binds the wrapped data key to it, CloudTrail logs it with every
 * Decrypt, and the IAM grant requires `purpose`. The text is sealed locally with AES-256-GCM
 * under the plaintext data key (envelope.ts), which is dropped after use.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { noteAad, noteEncryptionContext, type SealedNote } from '../../domain/notes/psychotherapy-notes.js';
import type { NoteCipher } from '../../use-cases/ports.js';
import { gcmOpen, gcmSeal } from './envelope.js';

export function createKmsNoteCipher(options: { client: KMSClient; keyId: string }): NoteCipher {
  const { client, keyId: KeyId } = options;
  return {
    async encrypt(plaintext, binding) {
      const { Plaintext, CiphertextBlob } = await client.send(
        new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', EncryptionContext: noteEncryptionContext(binding) }),
      );
      if (!Plaintext || !CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key.');
      try {
        const body = gcmSeal(Plaintext, Buffer.from(plaintext, 'utf8'), noteAad(binding));
        return { alg: 'AES-256-GCM', keyProvider: 'kms', encryptedDataKey: Buffer.from(CiphertextBlob).toString('base64'), ...body } satisfies SealedNote;
      } finally {
        Plaintext.fill(0);
      }
    },
    async decrypt(sealed, binding) {
      if (sealed.keyProvider !== 'kms') throw new Error('This note was sealed by another key provider.');
      const { Plaintext } = await client.send(
        new DecryptCommand({ KeyId, CiphertextBlob: Buffer.from(sealed.encryptedDataKey, 'base64'), EncryptionContext: noteEncryptionContext(binding) }),
      );
      if (!Plaintext) throw new Error('KMS Decrypt returned no key.');
      try {
        return gcmOpen(Plaintext, sealed, noteAad(binding)).toString('utf8');
      } finally {
        Plaintext.fill(0);
      }
    },
  };
}
