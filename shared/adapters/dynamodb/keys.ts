/**
 * Every key shape of the single table, built here and nowhere else.
 *
 * Access patterns (PK / SK; GSI1PK / GSI1SK):
 * | # | pattern                                   | key                                                   |
 * |---|-------------------------------------------|-------------------------------------------------------|
 * | 1 | client profile by client id               | CLIENT#<clientId> / PROFILE                           |
 * | 2 | a client's consent records                | CLIENT#<clientId> / begins_with CONSENT#              |
 * | 3 | a client's sent notifications (dedupe)    | CLIENT#<clientId> / NOTIFICATION#<key>                |
 * | 4 | everything of one client (export, delete) | CLIENT#<clientId>                                     |
 * | 5 | staff profile by user id                  | STAFF#<userId> / PROFILE                              |
 * | 6 | staff by role                             | GSI1: ROLE#<role> / STAFF#<lastName>#<userId>         |
 * | 7 | email uniqueness (clients and staff)      | EMAIL#<normalized email> / EMAIL                      |
 * | 8 | idempotency records (Powertools)          | IDEMPOTENCY#<routeId> / <hash>                        |
 * | 9 | a clinician's weekly hours and exceptions | STAFF#<userId> / AVAILABILITY                         |
 * |10 | consultation clinicians licensed in state | GSI1: CONSULTS_IN#<state> / STAFF#<userId>            |
 * |   |   (item STAFF#<userId> / CONSULTS_IN#<state>, one per licensed state, only while the      |
 * |   |   clinician offers consultations; written in one transaction with the profile)          |
 *
 * Ids are Cognito `sub`s: the identity and the record share one id.
 */
export const keys = {
  clientProfile: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'PROFILE' }),
  clientPartition: (clientId: string) => `CLIENT#${clientId}`,
  consent: (clientId: string, documentType: string, version: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `CONSENT#${documentType}#${version}`,
  }),
  consentPrefix: () => 'CONSENT#',
  notification: (clientId: string, notificationKey: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `NOTIFICATION#${notificationKey}`,
  }),
  staffProfile: (userId: string) => ({ PK: `STAFF#${userId}`, SK: 'PROFILE' }),
  staffByRole: (role: string, lastName: string, userId: string) => ({
    GSI1PK: `ROLE#${role}`,
    GSI1SK: `STAFF#${lastName.toLowerCase()}#${userId}`,
  }),
  clinicianAvailability: (userId: string) => ({ PK: `STAFF#${userId}`, SK: 'AVAILABILITY' }),
  /** The by-state listing item of a consultation clinician (pattern 10). */
  consultationListing: (userId: string, state: string) => ({
    PK: `STAFF#${userId}`,
    SK: `CONSULTS_IN#${state}`,
    GSI1PK: `CONSULTS_IN#${state}`,
    GSI1SK: `STAFF#${userId}`,
  }),
  consultationListingPrefix: () => 'CONSULTS_IN#',
  consultsInPartition: (state: string) => `CONSULTS_IN#${state}`,
  /** `email` must already be normalized (shared/domain/signup.ts normalizeEmail). */
  emailOwner: (email: string) => ({ PK: `EMAIL#${email}`, SK: 'EMAIL' }),
  idempotencyPartition: (routeId: string) => `IDEMPOTENCY#${routeId}`,
} as const;
