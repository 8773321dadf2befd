/**
 * Plain-language reasons for a match. Each is built from facts scoring established about THIS
 * therapist and carries them, so it is true by construction and can be checked against the data.
 * Only what is notable and positive is said; the score breakdown shows the rest.
 */
import { US_STATES } from '../us-states.js';
import { CLIENT_TYPE_LABELS, CONCERN_LABELS, durationText, GENDER_LABELS, languageLabel, listText, MODALITY_LABELS } from './labels.js';
import type { Intake } from './input.js';
import type { MatchReason } from './result.js';
import type { PreparedClient, ScoredTherapist } from './scores.js';
import { DAY_PARTS, PLENTY_OF_ROOM_SHARE, SESSION_MINUTES, type DayPart } from './weights.js';

const modalityList = (modalities: readonly (keyof typeof MODALITY_LABELS)[]) => listText(modalities.map((m) => MODALITY_LABELS[m]));

/** Parts of the client's day in which the shared hours hold at least one session. */
export function partsWithSessionTime(byPart: Record<DayPart, number>): DayPart[] {
  return DAY_PARTS.map((p) => p.part).filter((part) => byPart[part] >= SESSION_MINUTES);
}

export function reasonsFor(scored: ScoredTherapist, client: PreparedClient, intake: Intake, pinned: boolean): MatchReason[] {
  const { facts } = scored;
  const reasons: MatchReason[] = [];
  if (pinned) reasons.push({ kind: 'pinned', text: 'recommended by your consultation clinician' });
  reasons.push({ kind: 'licensed', state: intake.state, text: `licensed in ${US_STATES[intake.state]}` });
  if (intake.clientType !== 'individual') {
    reasons.push({ kind: 'client_type', clientType: intake.clientType, text: `works with ${CLIENT_TYPE_LABELS[intake.clientType]}` });
  }

  const treatsPrimary = facts.matchedConcerns.includes(client.primary);
  const firstLine = facts.evidenceTier === 'recommended' ? facts.evidenceModalities : [];
  if (treatsPrimary) {
    const concern = CONCERN_LABELS[client.primary];
    reasons.push({
      kind: 'primary_concern',
      concern: client.primary,
      modalities: firstLine,
      text: firstLine.length > 0 ? `specializes in ${concern} and uses ${modalityList(firstLine)}` : `specializes in ${concern}`,
    });
  }
  const others = facts.matchedConcerns.filter((c) => c !== client.primary);
  if (others.length > 0) {
    reasons.push({
      kind: 'other_concerns',
      concerns: others,
      text: `${treatsPrimary ? 'also specializes' : 'specializes'} in ${listText(others.map((c) => CONCERN_LABELS[c]))}`,
    });
  }
  // Evidence not already said with the primary concern.
  if (facts.evidenceTier && !(treatsPrimary && facts.evidenceTier === 'recommended')) {
    const concern = CONCERN_LABELS[client.primary];
    const used = modalityList(facts.evidenceModalities);
    const plural = facts.evidenceModalities.length > 1;
    reasons.push({
      kind: 'evidence',
      concern: client.primary,
      tier: facts.evidenceTier,
      modalities: facts.evidenceModalities,
      text:
        facts.evidenceTier === 'recommended'
          ? `uses ${used}, ${plural ? 'first-line therapies' : 'a first-line therapy'} for ${concern}`
          : `uses ${used}, which ${plural ? 'have' : 'has'} research support for ${concern}`,
    });
  }

  if (client.languagesStated && facts.sharedLanguages.length > 0) {
    reasons.push({ kind: 'language', languages: facts.sharedLanguages, text: `speaks ${listText(facts.sharedLanguages.map(languageLabel))}` });
  }
  if (facts.genderMatches && scored.therapist.gender !== undefined) {
    reasons.push({ kind: 'gender', gender: scored.therapist.gender, text: `is ${GENDER_LABELS[scored.therapist.gender]}, as you preferred` });
  }
  if (facts.preferredModalities.length > 0) {
    reasons.push({
      kind: 'modalities',
      modalities: facts.preferredModalities,
      text: `offers ${modalityList(facts.preferredModalities)}, which you asked for`,
    });
  }
  if (facts.overlap.minutes > 0) {
    const parts = partsWithSessionTime(facts.overlap.byPart);
    const amount = durationText(facts.overlap.minutes);
    reasons.push({
      kind: 'availability',
      minutes: facts.overlap.minutes,
      parts,
      text:
        parts.length > 0
          ? `has ${listText(parts)} hours that fit yours (${amount} a week)`
          : `has ${amount} a week that fits your hours`,
    });
  }
  if (facts.openShare >= PLENTY_OF_ROOM_SHARE) reasons.push({ kind: 'capacity', text: 'has plenty of room for new clients' });
  return reasons;
}
