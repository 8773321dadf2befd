import { describe, expect, it } from 'vitest';
import { CURRENT_LEGAL_DOCUMENTS } from '../../../shared/domain/legal-documents.js';
import { signupRequestSchema } from '../../../shared/domain/signup.js';
import { localDate } from '../../../shared/domain/time-zone.js';
import { fieldErrorsFrom } from '../../../shared/http/problem.js';

// A fixed clock: at 12:00 UTC it is already the 27th in Kiritimati (UTC+14) and still the
// 26th in Pago Pago (UTC-11).
const NOW = new Date('2026-11-26T12:00:00Z');
const SignupRequestSchema = signupRequestSchema(() => NOW);

const currentConsents = {
  privacyPolicy: CURRENT_LEGAL_DOCUMENTS.privacyPolicy.version,
  termsAndConditions: CURRENT_LEGAL_DOCUMENTS.termsAndConditions.version,
  disclaimer: CURRENT_LEGAL_DOCUMENTS.disclaimer.version,
};

const valid = {
  email: 'Casey.Rivera@Example.COM',
  password: 'Calm-Sea-42',
  firstName: 'Casey',
  lastName: 'Rivera',
  dateOfBirth: '1990-04-12',
  clientType: 'individual',
  state: 'OH',
  timezone: 'America/New_York',
  ageConfirmed: true,
  consents: currentConsents,
};

function errorsFor(input: unknown) {
  const result = SignupRequestSchema.safeParse(input);
  return result.success ? [] : fieldErrorsFrom(result.error.issues);
}

/** A date of birth that makes someone exactly `years` old on `date` (YYYY-MM-DD). */
function birthdayYearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-');
  return `${Number(y) - years}-${m}-${d}`;
}

describe('signup request', () => {
  it('accepts a complete, valid request and normalizes the email to lower case', () => {
    const parsed = SignupRequestSchema.parse(valid);
    expect(parsed.email).toBe('casey.rivera@example.com');
    expect(parsed.state).toBe('OH');
  });

  it('accepts an optional phone in E.164 and rejects other formats', () => {
    expect(errorsFor({ ...valid, phone: '+15555550123' })).toEqual([]);
    expect(errorsFor({ ...valid, phone: '555-0123' }).map((e) => e.field)).toEqual(['phone']);
  });

  it('lists every invalid field at once, in words a person understands', () => {
    const errors = errorsFor({
      email: 'not-an-email',
      password: 'short',
      firstName: '',
      dateOfBirth: '1990-02-30',
      clientType: 'corporate',
      state: 'ZZ',
      timezone: 'Mars/Olympus',
      ageConfirmed: false,
      consents: { privacyPolicy: '2020-01-01' },
      favouriteColour: 'blue',
    });
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'email',
        'password',
        'firstName',
        'lastName',
        'dateOfBirth',
        'clientType',
        'state',
        'timezone',
        'ageConfirmed',
        'consents.privacyPolicy',
        'consents.termsAndConditions',
        'consents.disclaimer',
        'favouriteColour',
      ]),
    );
    expect(errors.find((e) => e.field === 'lastName')?.message).toBe('Enter your last name.');
    expect(errors.find((e) => e.field === 'favouriteColour')?.message).toBe('This field is not allowed.');
    for (const error of errors) expect(error.message).not.toMatch(/Invalid input/);
  });

  it('never echoes the password in an error', () => {
    const secret = 'lowercase-only-secret';
    const errors = errorsFor({ ...valid, password: secret });
    expect(errors.map((e) => e.field)).toEqual(['password', 'password']);
    expect(JSON.stringify(errors)).not.toContain(secret);
  });

  it.each([
    ['Abcdefg1!', []],
    ['Abc1!', ['Use at least 8 characters.']],
    ['abcdefg1!', ['Include at least one uppercase letter.']],
    ['Abcdefgh!', ['Include at least one number.']],
    ['Abcdefgh1', ['Include at least one symbol, such as ! or #.']],
    ['ABCDEFG1 ', []],
  ])('applies the pool password policy to %j', (password, messages) => {
    expect(errorsFor({ ...valid, password }).map((e) => e.message)).toEqual(messages);
  });

  it('requires the certification of age even when the date of birth is adult', () => {
    expect(errorsFor({ ...valid, ageConfirmed: false }).map((e) => e.field)).toEqual(['ageConfirmed']);
  });

  it('decides "18 today" in the client\'s own time zone', () => {
    // Born 2008-11-27: 18 today in Kiritimati, still 17 in Pago Pago.
    expect(localDate(NOW, 'Pacific/Kiritimati')).toBe('2026-11-27');
    expect(errorsFor({ ...valid, dateOfBirth: '2008-11-27', timezone: 'Pacific/Kiritimati' })).toEqual([]);
    expect(errorsFor({ ...valid, dateOfBirth: '2008-11-27', timezone: 'Pacific/Pago_Pago' })).toEqual([
      { field: 'dateOfBirth', message: 'You must be 18 or older to use MoodRx.' },
    ]);
  });

  it('rejects a 17-year-old and a date of birth in the future', () => {
    const today = localDate(NOW, 'America/New_York');
    const seventeen = birthdayYearsBefore(today, 17);
    expect(errorsFor({ ...valid, dateOfBirth: seventeen })).toEqual([
      { field: 'dateOfBirth', message: 'You must be 18 or older to use MoodRx.' },
    ]);
    expect(errorsFor({ ...valid, dateOfBirth: birthdayYearsBefore(today, -1) })).toEqual([
      { field: 'dateOfBirth', message: 'Your date of birth cannot be in the future.' },
    ]);
  });

  it('still reports the age problem when other fields are wrong too', () => {
    const today = localDate(NOW, 'America/New_York');
    const fields = errorsFor({ ...valid, dateOfBirth: birthdayYearsBefore(today, 10), state: 'XX' }).map((e) => e.field);
    expect(fields.sort()).toEqual(['dateOfBirth', 'state']);
  });

  it('requires each consent to be the current version', () => {
    const errors = errorsFor({ ...valid, consents: { ...currentConsents, disclaimer: '2025-01-01' } });
    expect(errors).toEqual([
      { field: 'consents.disclaimer', message: `Accept the current Disclaimer (version ${currentConsents.disclaimer}).` },
    ]);
    expect(errorsFor({ ...valid, consents: { ...currentConsents, marketing: 'yes' } }).map((e) => e.field)).toEqual([
      'consents.marketing',
    ]);
  });
});
