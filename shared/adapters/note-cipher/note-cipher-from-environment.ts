/**
 * Which NoteCipher a process uses: the KMS key named by PSYCHOTHERAPY_NOTE_KEY_ARN (the deployed
 * psychotherapy-note functions, capability `notes:psychotherapy`), else the local key in
 * PSYCHOTHERAPY_NOTE_LOCAL_KEY (set by the local stack only). Neither: a ConfigurationError at
 * cold start, so no note is ever stored unencrypted.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { ConfigurationError, readEnvironment } from '../../config/environment.js';
import type { NoteCipher } from '../../use-cases/ports.js';
import { createKmsNoteCipher } from './kms-note-cipher.js';
import { createLocalNoteCipher, LOCAL_NOTE_KEY_BYTES } from './local-note-cipher.js';

/** Set by the local stack only; no deployed function has it. */
export const LOCAL_NOTE_KEY_VARIABLE = 'PSYCHOTHERAPY_NOTE_LOCAL_KEY';

export function noteCipherFromEnvironment(source: Record<string, string | undefined> = process.env): NoteCipher {
  const { PSYCHOTHERAPY_NOTE_KEY_ARN } = readEnvironment(['PSYCHOTHERAPY_NOTE_KEY_ARN'], source);
  if (PSYCHOTHERAPY_NOTE_KEY_ARN) return createKmsNoteCipher({ client: new KMSClient({}), keyId: PSYCHOTHERAPY_NOTE_KEY_ARN });
  const local = source[LOCAL_NOTE_KEY_VARIABLE];
  const key = local ? Buffer.from(local, 'base64') : undefined;
  if (!key || key.byteLength !== LOCAL_NOTE_KEY_BYTES) throw new ConfigurationError(['PSYCHOTHERAPY_NOTE_KEY_ARN']);
  return createLocalNoteCipher(key);
}
