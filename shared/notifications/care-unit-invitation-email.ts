/**
 * The email a client gets when a member of a care unit (a couple, a family) invites them: who
 * invited them (the inviter's FIRST name only), the kind of unit, and one link to the app where
 * they accept or decline. Nothing else: no unit member list, no therapist, nothing of anyone's
 * care (DESIGN.md "Emails carry the minimum necessary"). Joining needs their consent in the app;
 * the email only says an invitation is waiting.
 */
import type { CareUnitKind } from '../domain/care-units/units.js';
import { appLink, escapeHtml, type RenderedEmail } from './welcome-email.js';

export const CARE_UNIT_INVITATION_SUBJECT = 'You are invited to join a care unit on MoodRx';

/** The notification key (keys.ts pattern 96, under pattern 3): one email per invitation, its time naming it. */
export function careUnitInvitationKey(unitId: string, invitedAt: string): string {
  return `care_unit_invitation#${unitId}#${invitedAt}`;
}

export interface CareUnitInvitationInput {
  /** The invitee's own first name, if their profile has one. */
  inviteeFirstName?: string;
  inviterFirstName: string;
  kind: CareUnitKind;
  unitId: string;
  appBaseUrl: string;
}

const KIND_WORDS: Record<CareUnitKind, string> = { couple: 'a couple', family: 'a family' };

function oneLine(name: string): string {
  return name.replace(/[\r\n]+/g, ' ').trim();
}

export function renderCareUnitInvitationEmail(input: CareUnitInvitationInput): RenderedEmail {
  const link = appLink(input.appBaseUrl, `care-units/${encodeURIComponent(input.unitId)}`);
  const inviter = oneLine(input.inviterFirstName);
  const greeting = input.inviteeFirstName ? `Hi ${oneLine(input.inviteeFirstName)},` : 'Hi,';
  const invited = `${inviter} invited you to join their care unit on MoodRx, as ${KIND_WORDS[input.kind]}.`;
  const about = 'A care unit lets you take part in joint sessions with the same therapist. Your own questionnaires and records stay yours: joining does not share them.';
  const accept = 'Open the app to accept or decline the invitation. You join only if you accept.';

  const text = [greeting, '', invited, '', about, '', accept, link, '', 'If you did not expect this email, you can ignore it.', '', 'The MoodRx team'].join('\n');

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(CARE_UNIT_INVITATION_SUBJECT)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
  <p>${escapeHtml(greeting)}</p>
  <p>${escapeHtml(invited)}</p>
  <p>${escapeHtml(about)}</p>
  <p>${escapeHtml(accept)}</p>
  <p><a href="${escapeHtml(link)}" style="display: inline-block; padding: 10px 18px; background: #2f6f5e; color: #ffffff; text-decoration: none; border-radius: 4px;">See the invitation</a></p>
  <p style="font-size: 13px; color: #52606d;">If you did not expect this email, you can ignore it.</p>
  <p>The MoodRx team</p>
</body>
</html>
`;
  return { subject: CARE_UNIT_INVITATION_SUBJECT, html, text };
}
