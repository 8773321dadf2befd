import * as z from 'zod';

/**
 * The documents a person accepts at signup. Publishing a new version means adding it here;
 * signup then requires the new version, and the consent records keep what each person accepted.
 */
export const LEGAL_DOCUMENT_TYPES = ['privacyPolicy', 'termsAndConditions', 'disclaimer'] as const;
export type LegalDocumentType = (typeof LEGAL_DOCUMENT_TYPES)[number];

export interface LegalDocument {
  type: LegalDocumentType;
  title: string;
  version: string;
  effectiveDate: string;
  url: string;
}

export const CURRENT_LEGAL_DOCUMENTS: Readonly<Record<LegalDocumentType, LegalDocument>> = {
  privacyPolicy: {
    type: 'privacyPolicy',
    title: 'Privacy Policy',
    version: '2026-11-01',
    effectiveDate: '2026-11-01',
    url: '/legal/privacy-policy/2026-11-01',
  },
  termsAndConditions: {
    type: 'termsAndConditions',
    title: 'Terms and Conditions',
    version: '2026-11-01',
    effectiveDate: '2026-11-01',
    url: '/legal/terms-and-conditions/2026-11-01',
  },
  disclaimer: {
    type: 'disclaimer',
    title: 'Disclaimer',
    version: '2026-11-01',
    effectiveDate: '2026-11-01',
    url: '/legal/disclaimer/2026-11-01',
  },
};

export const LegalDocumentSchema = z
  .strictObject({
    type: z.enum(LEGAL_DOCUMENT_TYPES),
    title: z.string(),
    version: z.string(),
    effectiveDate: z.string(),
    url: z.string(),
  })
  .meta({ id: 'LegalDocument' });

export const LegalDocumentsResponseSchema = z
  .strictObject({ documents: z.array(LegalDocumentSchema) })
  .meta({ id: 'LegalDocuments' });
