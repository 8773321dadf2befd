/**
 * The invitation a new clinician gets when an admin creates them: where to sign in, the
 * temporary password, and what the first sign-in asks for (a new password, then an
 * authenticator app, because MFA is required for staff). Nothing else: no role, licenses or
 * anything about clients. Cognito's own invitation is suppressed so that this one, from our
 * sender and configuration set, is the only one.
 *
 * The temporary password is a secret in an email by necessity (as with Cognito's invitation);
 * it works once and expires (TEMPORARY_PASSWORD_VALIDITY_DAYS, the pool's setting).
 */
import { PASSWORD_POLICY } from '../domain/password-policy.js';
import { appLink, escapeHtml, type RenderedEmail } from './welcome-email.js';

/** The pools' `tempPasswordValidity` (infra/stacks/auth-stack.ts reads the same constant). */
export const TEMPORARY_PASSWORD_VALIDITY_DAYS = PASSWORD_POLICY.temporaryPasswordValidityDays;

export const STAFF_INVITATION_SUBJECT = 'Your MoodRx clinician account';

export interface StaffInvitationInput {
  firstName: string;
  email: string;
  temporaryPassword: string;
  /** APP_BASE_URL; the sign-in link is built under it. */
  appBaseUrl: string;
}

export function renderStaffInvitationEmail({ firstName, email, temporaryPassword, appBaseUrl }: StaffInvitationInput): RenderedEmail {
  const signInUrl = appLink(appBaseUrl, 'sign-in');
  const name = firstName.replace(/[\r\n]+/g, ' ').trim();
  const days = `${TEMPORARY_PASSWORD_VALIDITY_DAYS} days`;

  const text = [
    `Hi ${name},`,
    '',
    'An administrator created your MoodRx clinician account.',
    '',
    `Sign in: ${signInUrl}`,
    `Email: ${email}`,
    `Temporary password: ${temporaryPassword}`,
    '',
    `The temporary password works once and expires in ${days}. When you first sign in you will choose a new password, then set up an authenticator app: multi-factor authentication (MFA) is required for clinician accounts.`,
    '',
    'If you did not expect this email, do not sign in; tell your MoodRx administrator.',
    '',
    'The MoodRx team',
  ].join('\n');

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(STAFF_INVITATION_SUBJECT)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
  <p>Hi ${escapeHtml(name)},</p>
  <p>An administrator created your MoodRx clinician account.</p>
  <p><a href="${escapeHtml(signInUrl)}" style="display: inline-block; padding: 10px 18px; background: #2f6f5e; color: #ffffff; text-decoration: none; border-radius: 4px;">Sign in</a></p>
  <p>Email: ${escapeHtml(email)}<br>Temporary password: <code style="font-size: 15px;">${escapeHtml(temporaryPassword)}</code></p>
  <p>The temporary password works once and expires in ${days}. When you first sign in you will choose a new password, then set up an authenticator app: multi-factor authentication (MFA) is required for clinician accounts.</p>
  <p style="font-size: 13px; color: #52606d;">If you did not expect this email, do not sign in; tell your MoodRx administrator.</p>
  <p>The MoodRx team</p>
</body>
</html>
`;
  return { subject: STAFF_INVITATION_SUBJECT, html, text };
}
