import * as z from 'zod';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES, type LegalDocumentType } from './legal-documents.js';
import { passwordProblems } from './password-policy.js';
import { ageOn, isCalendarDate, isIanaTimeZone, localDate } from './time-zone.js';
import { US_STATE_CODES } from './us-states.js';

/** The youngest age we serve: adults only, certified and checked against the date of birth. */
export const MINIMUM_AGE_YEARS = 18;

export const CLIENT_TYPES = ['individual', 'couple', 'family', 'student'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export const EmailSchema = z
  .email({ error: 'Enter a valid email address, like name@example.com.' })
  .max(254, { error: 'Use an email address of at most 254 characters.' });

/** Emails are one identity in any letter case: everything stores and compares this form. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const PasswordSchema = z.string({ error: 'Enter a password.' }).superRefine((password, ctx) => {
  // Never echo the password: the messages describe the rule, not the input.
  for (const message of passwordProblems(password)) ctx.addIssue({ code: 'custom', message });
});

export const TimeZoneSchema = z
  .string({ error: 'Enter your time zone, like America/New_York.' })
  .refine(isIanaTimeZone, { error: 'Enter a time zone from the IANA list, like America/New_York.' });

export const CalendarDateSchema = z
  .string({ error: 'Enter a date as YYYY-MM-DD.' })
  .refine(isCalendarDate, { error: 'Enter a real date as YYYY-MM-DD.' });

const NameSchema = (label: string) =>
  z
    .string({ error: `Enter your ${label}.` })
    .trim()
    .min(1, { error: `Enter your ${label}.` })
    .max(100, { error: `Use at most 100 characters for your ${label}.` });

const consentVersion = (type: LegalDocumentType) => {
  const { title, version } = CURRENT_LEGAL_DOCUMENTS[type];
  return z.literal(version, { error: `Accept the current ${title} (version ${version}).` });
};

const ConsentsShape = Object.fromEntries(LEGAL_DOCUMENT_TYPES.map((t) => [t, consentVersion(t)])) as {
  [K in LegalDocumentType]: ReturnType<typeof consentVersion>;
};

/**
 * What a person sends to sign up. The age rule reads `now()` (the caller's `now` port: the
 * domain has no clock) when a request is parsed.
 */
export function signupRequestSchema(now: () => Date) {
  return z
    .strictObject({
      email: EmailSchema,
      password: PasswordSchema,
      firstName: NameSchema('first name'),
      lastName: NameSchema('last name'),
      dateOfBirth: CalendarDateSchema,
      clientType: z.enum(CLIENT_TYPES, { error: `Choose one of: ${CLIENT_TYPES.join(', ')}.` }),
      state: z.enum(US_STATE_CODES, { error: 'Enter the two-letter code of the US state where you live, like OH.' }),
      timezone: TimeZoneSchema,
      phone: z
        .string()
        .regex(/^\+[1-9]\d{7,14}$/, { error: 'Enter a phone number in international format, like +15555550123.' })
        .optional(),
      ageConfirmed: z.literal(true, { error: `Confirm that you are ${MINIMUM_AGE_YEARS} or older.` }),
      consents: z.strictObject(ConsentsShape, { error: 'Accept the Privacy Policy, the Terms and Conditions and the Disclaimer.' }),
    })
    .superRefine((input, ctx) => {
      const today = localDate(now(), input.timezone);
      if (input.dateOfBirth > today) {
        ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Your date of birth cannot be in the future.' });
      } else if (ageOn(input.dateOfBirth, today) < MINIMUM_AGE_YEARS) {
        ctx.addIssue({
          code: 'custom',
          path: ['dateOfBirth'],
          message: `You must be ${MINIMUM_AGE_YEARS} or older to use MoodRx.`,
        });
      } else if (ageOn(input.dateOfBirth, today) > 120) {
        ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Check your date of birth.' });
      }
    }, {
      // The age rule needs a valid date of birth and time zone; run it even when other fields
      // are wrong, so one 400 lists every problem.
      when: (payload) => {
        const value = payload.value as { dateOfBirth?: unknown; timezone?: unknown } | undefined;
        return (
          typeof value?.dateOfBirth === 'string' &&
          isCalendarDate(value.dateOfBirth) &&
          typeof value.timezone === 'string' &&
          isIanaTimeZone(value.timezone)
        );
      },
    })
    .transform((input) => ({ ...input, email: normalizeEmail(input.email) }))
    .meta({ id: 'SignupRequest' });
}

export type SignupRequest = z.output<ReturnType<typeof signupRequestSchema>>;

/** Where a client is in the monitor-match-manage lifecycle. */
export const CLIENT_STAGES = ['awaiting_consultation', 'awaiting_match', 'in_care', 'discharged', 'referred'] as const;
export type ClientStage = (typeof CLIENT_STAGES)[number];

/**
 * What POST /v1/signup answers, the SAME for a new email and one that already has an account
 * (being a client of this service is health information): no client id, no stage, nothing that
 * differs. The new address gets a verification code; the owner of a taken one, a notice.
 */
export const SignupResponseSchema = z
  .strictObject({
    status: z.literal('verification_required'),
    email: z.string().describe('The address the code was sent to, as stored (lower case).'),
    detail: z.string(),
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: 'SignupResponse' });
export type SignupResponse = z.infer<typeof SignupResponseSchema>;
