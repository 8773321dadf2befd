/**
 * The risk-escalation emails to staff. Minimum necessary (DESIGN.md, Privacy; issue 4 item 5):
 * "a client needs review" and a link to the task in the app. Nothing else: no client name or
 * id, no instrument, no answers, no score, no level, no deadline (which would reveal the level).
 * Everything a clinician needs is behind the link, after sign-in (MFA for staff), where the
 * read is audited. The inputs are typed so that nothing else can be passed in.
 */
import { appLink, escapeHtml, type RenderedEmail } from './welcome-email.js';

export const RISK_ALERT_SUBJECT = 'MoodRx: a client needs review';
export const RISK_ESCALATION_SUBJECT = 'MoodRx: escalation - a client review is waiting';

export interface RiskEmailInput {
  /** The opaque task id (no client or clinical data in it). */
  taskId: string;
  appBaseUrl: string;
}

function render(subject: string, lead: string, action: string, { taskId, appBaseUrl }: RiskEmailInput): RenderedEmail {
  const url = appLink(appBaseUrl, `risk-tasks/${encodeURIComponent(taskId)}`);
  const text = [
    lead,
    '',
    `${action}: ${url}`,
    '',
    'For privacy this email carries no details. Sign in to MoodRx to see them.',
    '',
    'MoodRx',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
  <p>${escapeHtml(lead)}</p>
  <p><a href="${escapeHtml(url)}" style="display: inline-block; padding: 10px 18px; background: #9b2c2c; color: #ffffff; text-decoration: none; border-radius: 4px;">${escapeHtml(action)}</a></p>
  <p style="font-size: 13px; color: #52606d;">For privacy this email carries no details. Sign in to MoodRx to see them.</p>
  <p>MoodRx</p>
</body>
</html>
`;
  return { subject, html, text };
}

/** To the responsible clinician (or the on-call coordinator), as soon as the task opens. */
export function renderRiskAlert(input: RiskEmailInput): RenderedEmail {
  return render(RISK_ALERT_SUBJECT, 'A client needs review. Please open the task and acknowledge it.', 'Open the task', input);
}

/** To each supervisor, once per escalation round, when nobody acknowledged the task in time. */
export function renderRiskEscalation(input: RiskEmailInput & { round: number }): RenderedEmail {
  const lead =
    input.round === 1
      ? 'A client needs review and the task was not acknowledged in time.'
      : `A client needs review and the task is still not acknowledged (reminder ${input.round}).`;
  return render(RISK_ESCALATION_SUBJECT, lead, 'Open the task', input);
}
