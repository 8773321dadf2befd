/**
 * Temporary passwords for invited staff: 16 characters from a cryptographic source, with at
 * least one uppercase letter, lowercase letter, digit and symbol, so every pool policy we use
 * (shared/domain/password-policy.ts) accepts it. Look-alike characters are left out (the person
 * may type it from the email) and so are symbols that HTML or a mail client could mangle.
 */
import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%*+-=?@^_~';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;
export const TEMPORARY_PASSWORD_LENGTH = 16;

export function generateTemporaryPassword(): string {
  const pick = (from: string) => from[randomInt(from.length)]!;
  const characters = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (characters.length < TEMPORARY_PASSWORD_LENGTH) characters.push(pick(ALL));
  // Fisher-Yates, so the guaranteed classes are not always in front.
  for (let i = characters.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j]!, characters[i]!];
  }
  return characters.join('');
}
