/**
 * The one password rule, shared by the signup validation and the Cognito user pools
 * (infra/stacks/auth-stack.ts), so that the API never accepts a password the pool would refuse.
 */
export const PASSWORD_POLICY = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: false,
  requireDigits: true,
  requireSymbols: true,
  /** How long an administrator-issued temporary password works (staff invitations). */
  temporaryPasswordValidityDays: 3,
} as const;

/**
 * Cognito's symbol set (the characters its policy counts as "special"):
 * ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and the space.
 */
const COGNITO_SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Every rule the password breaks, as sentences a person understands; empty when it is fine. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_POLICY.minLength) problems.push(`Use at least ${PASSWORD_POLICY.minLength} characters.`);
  if (PASSWORD_POLICY.requireUppercase && !/[A-Z]/.test(password)) problems.push('Include at least one uppercase letter.');
  if (PASSWORD_POLICY.requireDigits && !/[0-9]/.test(password)) problems.push('Include at least one number.');
  if (PASSWORD_POLICY.requireSymbols && !COGNITO_SYMBOLS.test(password)) problems.push('Include at least one symbol, such as ! or #.');
  if (password.length > 256) problems.push('Use at most 256 characters.');
  return problems;
}
