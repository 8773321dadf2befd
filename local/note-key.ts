/**
 * The local stack's psychotherapy-note key (in AWS: a dedicated KMS key). Random, never
 * committed: generated once per data folder and kept beside the data (so notes written by an
 * earlier `npm start` still open), or generated per start when the stack runs in memory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NOTE_KEY_BYTES } from '../shared/adapters/note-cipher/local-note-cipher.js';

export const NOTE_KEY_FILE = 'psychotherapy-note.key';

/** The key, base64 (what PSYCHOTHERAPY_NOTE_LOCAL_KEY carries). */
export function localNoteKey(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(LOCAL_NOTE_KEY_BYTES).toString('base64');
  const file = join(dataDir, NOTE_KEY_FILE);
  if (!existsSync(file)) writeFileSync(file, randomBytes(LOCAL_NOTE_KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
