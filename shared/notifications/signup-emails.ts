/**
 * The two emails signup sends (issue 9, finding 4), and nothing else until the address is proven:
 * - the verification code, to a new address: the code and how long it works; no link, no name
 *   (the person typing the address may not own it);
 * - the notice to the owner of an address that already has an account: someone tried to sign
 *   up with it. It does not say what kind of account (client or staff), carries no link and no
 *   name, so a forwarded or misdelivered copy tells nobody more than "this address knows MoodRx".
 * Both carry the crisis lines: a person may reply to any email in a crisis.
 */
import { VERIFICATION_CODE_TTL_HOURS } from '../domain/email-verification.js';
import { escapeHtml, type RenderedEmail } from './welcome-email.js';

export const VERIFICATION_SUBJECT = 'Your MoodRx verification code';
export const SIGNUP_NOTICE_SUBJECT = 'Someone tried to sign up with your email address';

const CRISIS_LINE =
  'If you are in crisis, call or text 988 (Suicide & Crisis Lifeline, US). In immediate danger, call 911. Email and messages to MoodRx are not monitored for emergencies.';

function page(subject: string, paragraphs: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${paragraphs.map((p) => `  <p>${p}</p>`).join('\n')}
  <p style="font-size: 13px; color: #52606d;">${escapeHtml(CRISIS_LINE)}</p>
  <p>The MoodRx team</p>
</body>
</html>
`;
}

export function renderVerificationEmail({ code }: { code: string }): RenderedEmail {
  const lines = [
    `Your MoodRx verification code is ${code}`,
    `Enter it in the app to finish signing up. It works once, for ${VERIFICATION_CODE_TTL_HOURS} hours.`,
    'If you did not sign up for MoodRx, ignore this email: without the code, no account is activated with your address.',
  ];
  const text = ['Hello,', '', ...lines.flatMap((line) => [line, '']), CRISIS_LINE, '', 'The MoodRx team'].join('\n');
  const html = page(VERIFICATION_SUBJECT, [
    'Hello,',
    `Your MoodRx verification code is <strong style="font-size: 20px; letter-spacing: 2px;">${escapeHtml(code)}</strong>`,
    escapeHtml(lines[1] as string),
    escapeHtml(lines[2] as string),
  ]);
  return { subject: VERIFICATION_SUBJECT, html, text };
}

export function renderSignupNoticeEmail(): RenderedEmail {
  const lines = [
    'Someone just tried to create a MoodRx account with this email address. This address already has an account, so nothing was created or changed.',
    'If it was you, sign in to the app with your password instead of signing up.',
    'If it was not you, you do not need to do anything.',
  ];
  const text = ['Hello,', '', ...lines.flatMap((line) => [line, '']), CRISIS_LINE, '', 'The MoodRx team'].join('\n');
  const html = page(SIGNUP_NOTICE_SUBJECT, ['Hello,', ...lines.map(escapeHtml)]);
  return { subject: SIGNUP_NOTICE_SUBJECT, html, text };
}
