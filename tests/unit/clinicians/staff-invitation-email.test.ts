import { describe, expect, it } from 'vitest';
import { renderStaffInvitationEmail, STAFF_INVITATION_SUBJECT } from '../../../shared/notifications/staff-invitation-email.js';

const email = renderStaffInvitationEmail({
  firstName: 'Rowan<b>\r\nBcc: x',
  email: 'rowan@example.com',
  temporaryPassword: 'Ab3#defghJKLmn2!',
  appBaseUrl: 'https://app.moodrx.example/portal',
});

describe('staff invitation email', () => {
  it('carries the sign-in link, the temporary password and what the first sign-in asks', () => {
    for (const part of [email.text, email.html]) {
      expect(part).toContain('https://app.moodrx.example/portal/sign-in');
      expect(part).toContain('Ab3#defghJKLmn2!');
      expect(part).toContain('rowan@example.com');
      expect(part).toMatch(/new password/);
      expect(part).toMatch(/authenticator app/);
      expect(part).toContain('(MFA)');
    }
    expect(email.subject).toBe(STAFF_INVITATION_SUBJECT);
  });

  it('says nothing else: no role, licenses or client data', () => {
    expect(email.text).not.toMatch(/license|therapist|coordinator|client|diagnos/i);
  });

  it('escapes the name in HTML and keeps it on one line in text', () => {
    expect(email.html).toContain('Rowan&lt;b&gt; Bcc: x');
    expect(email.html).not.toContain('<b>');
    expect(email.text.split('\n')[0]).toBe('Hi Rowan<b> Bcc: x,');
  });
});
