/**
 * Sign-in use cases. The rules that matter live in the adapter's error mapping (one 401 for
 * every kind of "no") and in the pools themselves (password policy, MFA for staff); these
 * functions shape what the API returns.
 */
import type { MfaAnswerRequest, NewPasswordRequest, Tokens } from '../../domain/auth.js';
import type { IssuedTokens, MfaChallenge, SignInPort } from '../../adapters/cognito/sign-in.js';

export function bearer(tokens: IssuedTokens): Tokens {
  return { tokenType: 'Bearer', ...tokens };
}

export async function signIn(port: SignInPort, email: string, password: string): Promise<Tokens | MfaChallenge> {
  const result = await port.signIn(email, password);
  return 'challenge' in result ? result : bearer(result);
}

export async function refreshTokens(port: SignInPort, refreshToken: string): Promise<Tokens> {
  return bearer(await port.refresh(refreshToken));
}

export async function answerMfa(port: SignInPort, { email, session, code }: MfaAnswerRequest): Promise<Tokens> {
  return bearer(await port.answerMfa(email, session, code));
}

export async function completeMfaSetup(port: SignInPort, { email, session, code }: MfaAnswerRequest): Promise<Tokens> {
  return bearer(await port.completeMfaSetup(email, session, code));
}

/** First sign-in of an account an admin created: the new password, then (in AWS) MFA setup. */
export async function answerNewPassword(port: SignInPort, { email, session, newPassword }: NewPasswordRequest): Promise<Tokens | MfaChallenge> {
  const result = await port.answerNewPassword(email, session, newPassword);
  return 'challenge' in result ? result : bearer(result);
}
