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
 * |11 | a consultation by id                      | CONSULTATION#<id> / CONSULTATION                      |
 * |12 | a clinician's consultations by start      | GSI1: CONSULTATIONS_OF#<clinicianId> / <startIso>#<id> |
 * |13 | a consultation's sent notifications       | CONSULTATION#<id> / NOTIFICATION#<key>                |
 * |14 | a consultation's outcome notes (apart)    | CONSULTATION#<id> / OUTCOME_NOTES                     |
 * |15 | a client's consultations (pointers)       | CLIENT#<clientId> / begins_with CONSULTATION#         |
 * |16 | a client's free-consultation record       | CLIENT#<clientId> / FREE_CONSULTATION                 |
 * |17 | a client's holds (numbered places 1..N)   | CLIENT#<clientId> / begins_with HOLD#                 |
 * |18 | a clinician's booking lock cells by time  | SLOTLOCK#<clinicianId> / CELL#<cellStartIso>          |
 * |   |   (one item per 5-minute cell a booking or an unexpired hold occupies; the booking      |
 * |   |   transaction puts each "if absent", so two bookings can never share a cell)            |
 * |19 | a client's care relationships (history)   | CLIENT#<clientId> / begins_with CARE#                 |
 * |   |   (item CARE#<kind>#<clinicianId>#<startedAt>; kind consultation | therapist; ended ones  |
 * |   |   stay, with endedAt and endReason)                                                        |
 * |20 | a client's active relationship of a kind  | CLIENT#<clientId> / CARE_ACTIVE#<kind>                |
 * |   |   (one per kind: put "if absent" with the relationship, deleted when it ends)             |
 * |21 | a clinician's clients ("my clients")      | GSI1: CLINICIAN_CLIENTS#<clinicianId> /               |
 * |   |   active: begins_with ACTIVE# (ACTIVE#<kind>#<startedAt>#<clientId>); ended: begins_with  |
 * |   |   ENDED# (ENDED#<endedAt>#<kind>#<clientId>), rewritten when the relationship ends        |
 * |22 | a client's audit chain, in order          | AUDIT#<clientId> / begins_with SEQ# (SEQ#<12-digit n>) |
 * |23 | the head of a client's audit chain        | AUDIT_HEAD#<clientId> / HEAD (last seq and MAC)       |
 * |   |   (appends put SEQ#<n> "if absent" and move HEAD from n-1 to n in one transaction; the   |
 * |   |   audit partitions are not under CLIENT#, so removing a client's records keeps its trail) |
 * |   |   Key shapes for IAM (dynamodb:LeadingKeys sees the partition key only): the AUDIT#       |
 * |   |   partition holds EVENTS ONLY, which are put once and never updated or deleted (an app   |
 * |   |   role needs PutItem there, never UpdateItem or DeleteItem); the head and the listing     |
 * |   |   item live in the AUDIT_HEAD# partition, where the head is overwritten (a conditional    |
 * |   |   PutItem) on every append. Neither is ever deleted.                                      |
 * |24 | a client's assessments, by time           | CLIENT#<clientId> / begins_with ASSESSMENT# (ASSESSMENT#<id>) |
 * |   |   (ids are UUIDv7: the sort key orders by submission time; the id alone gets one)         |
 * |25 | a client's assessments of one instrument  | CLIENT#<clientId> / begins_with ASSESSMENT_OF#<instrument># |
 * |   |   (a copy written in the same transaction: per-instrument history and outcome series)   |
 * |26 | what a submission (Idempotency-Key) made  | CLIENT#<clientId> / SUBMISSION#<sha256(route, caller, key)> |
 * |   |   (put "if absent" with the record; expires with the key after 24 h)                    |
 * |27 | a client's check-ins, by time             | CLIENT#<clientId> / begins_with CHECK_IN# (CHECK_IN#<UUIDv7>) |
 * |28 | a client's diagnoses, every version       | CLIENT#<clientId> / begins_with DIAGNOSIS# (DIAGNOSIS#<id>#V#<6-digit n>) |
 * |   |   (version n+1 is put "if absent" while n exists: never overwritten, never deleted)     |
 * |29 | risk escalations not yet started, oldest  | GSI1: RISK_PENDING / <flaggedAt>#<clientId>#<type>#<sourceId> |
 * |   |   (item CLIENT#<clientId> / RISK_PENDING#<type>#<sourceId>, written with the flagged    |
 * |   |   record, deleted once the workflow started: what a reconciler starts again)            |
 * |30 | a risk task by id                         | RISK_TASK#<taskId> / TASK                             |
 * |   |   (taskId = risk-<assessment|check_in>-<sourceId>: one task per flagged record)          |
 * |31 | a staff member's open risk tasks, by due  | GSI1: RISK_TASKS_OF#<staffId> / OPEN#<dueAt>#<taskId> |
 * |   |   (on the task item; rewritten to CLOSED#<assessedAt>#<taskId> once assessed)            |
 * |32 | every open risk task (supervisors), by due | GSI1: RISK_TASKS_OPEN / <dueAt>#<taskId>             |
 * |   |   (item RISK_TASK#<taskId> / OPEN, put with the task, deleted when it is assessed; one   |
 * |   |   partition: open risk tasks are few, and the item carries no clinical data)             |
 * |33 | a risk task's emails (claimed, then sent)  | RISK_TASK#<taskId> / NOTIFICATION#<key>              |
 * |34 | a client's risk tasks (open or closed)    | CLIENT#<clientId> / begins_with RISK_TASK#            |
 * |   |   (pointer item { taskId, open }; `open` false once assessed: supervisors' access test)  |
 * |35 | a client's referrals to a higher level of care | CLIENT#<clientId> / begins_with REFERRAL# (REFERRAL#<taskId>) |
 * |36 | a client's intake: draft and confirmed    | CLIENT#<clientId> / INTAKE#DRAFT, INTAKE#CONFIRMED      |
 * |   |   (the client's own pre-filled draft; the version a clinician recorded, which matching uses) |
 * |37 | the consultation clinician's pinned match | CLIENT#<clientId> / MATCH_PIN                          |
 * |38 | a client's rematches (reason, note)       | CLIENT#<clientId> / begins_with REMATCH# (REMATCH#<endedAt>) |
 * |39 | therapists licensed in a state            | GSI1: THERAPISTS_IN#<state> / STAFF#<userId>           |
 * |   |   (item STAFF#<userId> / THERAPISTS_IN#<state>, one per state with a license on file,     |
 * |   |   role therapist only; a superset of the profile's states: readers re-check the profile) |
 * |40 | a therapist's caseload counter            | STAFF#<userId> / CASELOAD { count, capacity, accepting } |
 * |   |   (capacity and accepting copied from the profile in its own transaction; accepting a     |
 * |   |   match adds 1 only if count < capacity, in one transaction with the care relationship) |
 * |41 | clients in an active stage (reconciler)   | GSI1: CLIENT_STAGE#<stage> / CLIENT#<clientId>         |
 * |   |   (on the profile, rewritten with every stage change, removed once care is closed       |
 * |   |   (discharged, referred): a sparse index of the clients whose lifecycle must run;       |
 * |   |   write it with shared/adapters/dynamodb/client-stage.ts)                                |
 * |42 | a client's lifecycle flags (disengagement) | CLIENT#<clientId> / begins_with LIFECYCLE_FLAG# (LIFECYCLE_FLAG#<kind>#<since>) |
 * |43 | the care lifecycle's sent notifications   | CLIENT#<clientId> / begins_with NOTIFICATION#lifecycle# (pattern 3) |
 * |44 | a client's discharges (reason, summary)   | CLIENT#<clientId> / begins_with DISCHARGE# (DISCHARGE#<dischargedAt>) |
 * |45 | a staff member's audit chain, in order    | STAFF_AUDIT#<staffId> / begins_with SEQ# (SEQ#<12-digit n>) |
 * |46 | the head of a staff member's audit chain  | STAFF_AUDIT_HEAD#<staffId> / HEAD (last seq and MAC)  |
 * |   |   (credentialing changes, shared/domain/staff-audit.ts; appended and keyed like patterns  |
 * |   |   22-23, events and head in separate partitions for IAM alike; not under STAFF#, so       |
 * |   |   removing a clinician keeps the trail, and never in a client's chain)                    |
 * |47 | a client's email verification code (hash) | CLIENT#<clientId> / EMAIL_VERIFICATION (one; a new code replaces it; found by email via pattern 7) |
 * |48 | every audit chain (the scheduled verifier) | GSI1: AUDIT_CHAINS / CLIENT#<clientId> or STAFF#<staffId> |
 * |   |   (item AUDIT_HEAD#<clientId> or STAFF_AUDIT_HEAD#<staffId> / CHAIN, put "if absent" with  |
 * |   |   a chain's first event and never rewritten: one index write per chain, not per append;    |
 * |   |   lists chains without a Scan)                                                            |
 * |60 | a therapy session by id                   | SESSION#<sessionId> / SESSION                          |
 * |   |   (lock cells: pattern 18, kind `session`, in the booking transaction: sessions and        |
 * |   |   consultations of one clinician share the cells, so they can never overlap)              |
 * |61 | a therapist's sessions by start           | GSI1: SESSIONS_OF#<therapistId> / <startIso>#<sessionId> |
 * |62 | a client's sessions (pointers)            | CLIENT#<clientId> / begins_with SESSION# (SESSION#<sessionId>) |
 * |   |   (pointer { sessionId, start, status, seriesId, therapistId, createdAt }, its status       |
 * |   |   updated in the transaction that changes the session: counts and series without reads)  |
 * |63 | a session's sent notifications            | SESSION#<sessionId> / NOTIFICATION#<key>               |
 * |64 | a client's no-show tasks (2 in a row)     | CLIENT#<clientId> / SESSION_TASK#no_shows#<sessionId>  |
 * |   |   (put "if absent" with the attendance that raised it; GSI1 pattern 65 while open)       |
 * |65 | a therapist's open session tasks          | GSI1: SESSION_TASKS_OF#<therapistId> / OPEN#<raisedAt>#<clientId> |
 * |   |   (closing a task removes its GSI1 attributes: it leaves the open list; status, note kept) |
 * |70 | a progress note (session note) by client  | CLIENT#<clientId> / PROGRESS_NOTE#<noteId>             |
 * |   |   (draft edited only while draft and at its revision; once signed never updated again)  |
 * |71 | a progress note's addenda, in order       | CLIENT#<clientId> / begins_with PROGRESS_NOTE#<noteId>#ADDENDUM# |
 * |   |   (ADDENDUM#<UUIDv7>, put "if absent" while the note is signed; never updated, never     |
 * |   |   deleted. A client's notes with their addenda: begins_with PROGRESS_NOTE#)              |
 * |72 | the note of a session (one per session)   | CLIENT#<clientId> / NOTE_OF_SESSION#<sessionId>        |
 * |   |   (put "if absent" in the note's transaction: a second note for a session is refused)  |
 * |73 | where a progress note lives, by note id   | NOTE#<noteId> / LOCATOR { clientId } (put with the note) |
 * |74 | an author's psychotherapy notes of a client | PSYNOTE#<authorId> / begins_with CLIENT#<clientId>#NOTE# |
 * |   |   (CLIENT#<clientId>#NOTE#<UUIDv7>: metadata + the sealed text; the partition is the      |
 * |   |   AUTHOR's, so only the author's requests ever address it, and only the psychotherapy-  |
 * |   |   note functions' IAM reaches PSYNOTE#; never under CLIENT#, so no client-wide read,     |
 * |   |   export or removal of a client's record touches it)                                     |
 * |75 | an author's psychotherapy note by id      | PSYNOTE#<authorId> / NOTE#<noteId> { clientId } (put with it) |
 * |49 | a client's treatment plan, every version  | CLIENT#<clientId> / begins_with PLAN#V# (PLAN#V#<6-digit version>) |
 * |   |   (the version number is the key: a version is put "if absent", so two drafts of one      |
 * |   |   version cannot both exist; the planId is an attribute, found in the client's versions)  |
 * |50 | a client's active plan (one)              | CLIENT#<clientId> / ACTIVE_PLAN { planId, version }    |
 * |   |   (signing puts it "if absent" (a first plan) or "if it names the version replaced", in   |
 * |   |   one transaction with the signed and the revised versions: two signs, one active plan;  |
 * |   |   deleted when the plan is completed or ended)                                           |
 * |51 | the client's acknowledgement of a version | CLIENT#<clientId> / PLAN_ACK#<6-digit version> (put "if absent") |
 * |52 | a client's plan review tasks              | CLIENT#<clientId> / begins_with PLAN_REVIEW# (PLAN_REVIEW#<reviewId>) |
 * |   |   (reviewId = the trigger's deterministic key, shared/domain/plans/progress.ts: put "if    |
 * |   |   absent", so a trigger is one task however many wake-ups see it; closed, never deleted)  |
 * |80 | a care unit by id                         | CARE_UNIT#<unitId> / UNIT { kind, createdBy, therapistId? } |
 * |   |   (therapistId set once, "if absent", in the unit match transaction: matched once per unit) |
 * |81 | a care unit's memberships                 | CARE_UNIT#<unitId> / begins_with MEMBER# (MEMBER#<clientId>) |
 * |   |   (status invited | active | declined | left | removed, consentedAt; a unit with its members |
 * |   |   and releases is one Query of the partition)                                              |
 * |82 | a client's care units (pointers)          | CLIENT#<clientId> / begins_with UNIT_MEMBERSHIP# (UNIT_MEMBERSHIP#<unitId>) |
 * |   |   ({ unitId, kind, role, status }, written in the transaction that writes the membership) |
 * |83 | a unit's release requests                 | CARE_UNIT#<unitId> / begins_with RELEASE# (RELEASE#<releaseId>) |
 * |84 | a member's decision on a release          | CARE_UNIT#<unitId> / RELEASE#<releaseId>#CONSENT#<forClientId> |
 * |   |   (put "if absent": one decision per member per release, final)                           |
 * |90 | a care unit's joint sessions (pointers)   | CARE_UNIT#<unitId> / begins_with SESSION# (SESSION#<sessionId>) |
 * |   |   (a joint session (pattern 60 with unitId, invitedMemberIds) lives in the UNIT's record:  |
 * |   |   no pointer under any member's CLIENT#, so it never shows in a member's own list; the     |
 * |   |   pointer { sessionId, start, status, seriesId, therapistId, createdAt } is written and     |
 * |   |   updated in the transactions that write the session, like pattern 62)                   |
 * |85 | a care unit's treatment plan, every version | CARE_UNIT#<unitId> / begins_with PLAN#V# (PLAN#V#<6-digit version>) |
 * |   |   (the unit plan: the same item and rules as pattern 49, in the unit's partition;          |
 * |   |   plan-repository.ts writes both, parameterised by the holder)                              |
 * |86 | a care unit's active plan (one)           | CARE_UNIT#<unitId> / ACTIVE_PLAN { planId, version } (as pattern 50) |
 * |87 | a member's acknowledgement of a version   | CARE_UNIT#<unitId> / PLAN_ACK#<6-digit version>#<clientId> |
 * |   |   (put "if absent": one per member per version; a version's: begins_with PLAN_ACK#)       |
 * |88 | a care unit's plan review tasks      | CARE_UNIT#<unitId> / begins_with PLAN_REVIEW# (as pattern 52; { careUnitId }) |
 * |91 | a care unit's joint progress note         | CARE_UNIT#<unitId> / PROGRESS_NOTE#<noteId>           |
 * |   |   (the note of an attended JOINT session: the same item and rules as pattern 70, in the   |
 * |   |   unit's partition, never under a member's CLIENT#; progress-note-repository.ts writes    |
 * |   |   both, parameterised by the holder)                                                      |
 * |92 | a joint note's addenda, in order          | CARE_UNIT#<unitId> / begins_with PROGRESS_NOTE#<noteId>#ADDENDUM# (as pattern 71) |
 * |93 | the note of a joint session (one)         | CARE_UNIT#<unitId> / NOTE_OF_SESSION#<sessionId> (as pattern 72) |
 * |94 | where a joint note lives                  | NOTE#<noteId> / LOCATOR { clientId: <unitId>, holder: care_unit } (pattern 73's item; |
 * |   |   a locator without `holder` is a client's)                                               |
 * |96 | a client's care unit invitation emails    | CLIENT#<clientId> / NOTIFICATION#care_unit_invitation#<unitId>#<invitedAt> (pattern 3) |
 * |   |   (one per invitation: a re-invitation after a decline has its own time, so its own email) |
 * |100| a therapist's progress-review preferences | REVIEW#<therapistId> / PREFERENCES { weekday, hour, timeZone?, paused } |
 * |   |   (absent: the default, Monday 07:00 in the therapist's profile time zone)                |
 * |101| a therapist's progress reviews, by period | REVIEW#<therapistId> / begins_with REVIEW_OF# (REVIEW_OF#<periodEndIso>) |
 * |   |   (put "if absent": one review per therapist per period end; the built review is health   |
 * |   |   data, read through the access policy only; newest first: ScanIndexForward false)      |
 * |102| dispositions of a review's flagged clients | REVIEW#<therapistId> / DISPOSITION#<periodEndIso>#<clientId> |
 * |103| a review's email (claimed, then sent)     | REVIEW#<therapistId> / NOTIFICATION#review-email#<periodEndIso> |
 * |   |   (claim "if absent" before SES, confirm after; a stale claim becomes `unknown`, never resent) |
 *
 * Ids are Cognito `sub`s: the identity and the record share one id.
 */
export const keys = {
  clientProfile: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'PROFILE' }),
  clientPartition: (clientId: string) => `CLIENT#${clientId}`,
  /** Pattern 45. */
  emailVerification: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'EMAIL_VERIFICATION' }),
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
  consultation: (consultationId: string) => ({ PK: `CONSULTATION#${consultationId}`, SK: 'CONSULTATION' }),
  /** Pattern 12; `start` is a UTC ISO string, so the sort key orders by time. */
  consultationsOfClinician: (clinicianId: string, start: string, consultationId: string) => ({
    GSI1PK: `CONSULTATIONS_OF#${clinicianId}`,
    GSI1SK: `${start}#${consultationId}`,
  }),
  consultationsOfClinicianPartition: (clinicianId: string) => `CONSULTATIONS_OF#${clinicianId}`,
  consultationNotification: (consultationId: string, notificationKey: string) => ({
    PK: `CONSULTATION#${consultationId}`,
    SK: `NOTIFICATION#${notificationKey}`,
  }),
  consultationNotes: (consultationId: string) => ({ PK: `CONSULTATION#${consultationId}`, SK: 'OUTCOME_NOTES' }),
  clientConsultation: (clientId: string, consultationId: string) => ({ PK: `CLIENT#${clientId}`, SK: `CONSULTATION#${consultationId}` }),
  clientConsultationPrefix: () => 'CONSULTATION#',
  freeConsultation: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'FREE_CONSULTATION' }),
  consultationHold: (clientId: string, place: number) => ({ PK: `CLIENT#${clientId}`, SK: `HOLD#${place}` }),
  consultationHoldPrefix: () => 'HOLD#',
  /** `cellStart` is the cell's start as a UTC ISO string (`new Date(ms).toISOString()`). */
  slotLock: (clinicianId: string, cellStart: string) => ({ PK: `SLOTLOCK#${clinicianId}`, SK: `CELL#${cellStart}` }),
  slotLockPartition: (clinicianId: string) => `SLOTLOCK#${clinicianId}`,
  slotLockSortKey: (cellStart: string) => `CELL#${cellStart}`,
  /** Pattern 19. `startedAt` is a UTC ISO string. */
  careRelationship: (clientId: string, kind: string, clinicianId: string, startedAt: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `CARE#${kind}#${clinicianId}#${startedAt}`,
  }),
  careRelationshipPrefix: () => 'CARE#',
  /** Pattern 20. */
  activeCare: (clientId: string, kind: string) => ({ PK: `CLIENT#${clientId}`, SK: `CARE_ACTIVE#${kind}` }),
  /** Pattern 21, while the relationship is active. */
  clinicianClientActive: (clinicianId: string, kind: string, startedAt: string, clientId: string) => ({
    GSI1PK: `CLINICIAN_CLIENTS#${clinicianId}`,
    GSI1SK: `ACTIVE#${kind}#${startedAt}#${clientId}`,
  }),
  /** Pattern 21, once it ended. */
  clinicianClientEnded: (clinicianId: string, kind: string, endedAt: string, clientId: string) => ({
    GSI1PK: `CLINICIAN_CLIENTS#${clinicianId}`,
    GSI1SK: `ENDED#${endedAt}#${kind}#${clientId}`,
  }),
  clinicianClientsPartition: (clinicianId: string) => `CLINICIAN_CLIENTS#${clinicianId}`,
  clinicianClientsPrefix: (status: 'active' | 'ended') => (status === 'active' ? 'ACTIVE#' : 'ENDED#'),
  /** Pattern 22; `seq` from 1, zero-padded so the sort key orders numerically. */
  auditEvent: (clientId: string, seq: number) => ({ PK: `AUDIT#${clientId}`, SK: `SEQ#${String(seq).padStart(12, '0')}` }),
  auditEventPrefix: () => 'SEQ#',
  /** Pattern 23. */
  auditHead: (clientId: string) => ({ PK: `AUDIT_HEAD#${clientId}`, SK: 'HEAD' }),
  /** Pattern 48: the write-once listing item of a client's chain. */
  auditChainListing: (clientId: string) => ({
    PK: `AUDIT_HEAD#${clientId}`,
    SK: 'CHAIN',
    GSI1PK: 'AUDIT_CHAINS',
    GSI1SK: `CLIENT#${clientId}`,
  }),
  auditChainsPartition: () => 'AUDIT_CHAINS',
  auditChainsSortPrefix: () => 'CLIENT#',
  auditChainsStaffSortPrefix: () => 'STAFF#',
  auditPartition: (clientId: string) => `AUDIT#${clientId}`,
  /** Pattern 24; `assessmentId` is a UUIDv7. */
  assessment: (clientId: string, assessmentId: string) => ({ PK: `CLIENT#${clientId}`, SK: `ASSESSMENT#${assessmentId}` }),
  assessmentPrefix: () => 'ASSESSMENT#',
  /** Pattern 25. */
  assessmentOfInstrument: (clientId: string, instrument: string, assessmentId: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `ASSESSMENT_OF#${instrument}#${assessmentId}`,
  }),
  assessmentOfInstrumentPrefix: (instrument: string) => `ASSESSMENT_OF#${instrument}#`,
  /** Pattern 26; `keyHash` is hex. */
  submission: (clientId: string, keyHash: string) => ({ PK: `CLIENT#${clientId}`, SK: `SUBMISSION#${keyHash}` }),
  /** Pattern 27; `checkInId` is a UUIDv7. */
  checkIn: (clientId: string, checkInId: string) => ({ PK: `CLIENT#${clientId}`, SK: `CHECK_IN#${checkInId}` }),
  checkInPrefix: () => 'CHECK_IN#',
  /** Pattern 28; versions from 1, zero-padded so the sort key orders numerically. */
  diagnosisVersion: (clientId: string, diagnosisId: string, version: number) => ({
    PK: `CLIENT#${clientId}`,
    SK: `DIAGNOSIS#${diagnosisId}#V#${String(version).padStart(6, '0')}`,
  }),
  diagnosisPrefix: () => 'DIAGNOSIS#',
  /** Pattern 29: the marker under the client. */
  pendingRiskEscalation: (clientId: string, sourceType: string, sourceId: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `RISK_PENDING#${sourceType}#${sourceId}`,
  }),
  /** Pattern 29: its place in the reconciler's index; `flaggedAt` is a UTC ISO string. */
  pendingRiskEscalationIndex: (clientId: string, sourceType: string, sourceId: string, flaggedAt: string) => ({
    GSI1PK: 'RISK_PENDING',
    GSI1SK: `${flaggedAt}#${clientId}#${sourceType}#${sourceId}`,
  }),
  pendingRiskEscalationsPartition: () => 'RISK_PENDING',
  /** Pattern 30. */
  riskTask: (taskId: string) => ({ PK: `RISK_TASK#${taskId}`, SK: 'TASK' }),
  /** Pattern 31; `at` is dueAt while open, assessedAt once closed (UTC ISO). */
  riskTaskOfStaff: (staffId: string, state: 'open' | 'closed', at: string, taskId: string) => ({
    GSI1PK: `RISK_TASKS_OF#${staffId}`,
    GSI1SK: `${state === 'open' ? 'OPEN' : 'CLOSED'}#${at}#${taskId}`,
  }),
  riskTasksOfStaffPartition: (staffId: string) => `RISK_TASKS_OF#${staffId}`,
  riskTasksOfStaffOpenPrefix: () => 'OPEN#',
  /** Pattern 32. */
  openRiskTask: (taskId: string, dueAt: string) => ({
    PK: `RISK_TASK#${taskId}`,
    SK: 'OPEN',
    GSI1PK: 'RISK_TASKS_OPEN',
    GSI1SK: `${dueAt}#${taskId}`,
  }),
  openRiskTasksPartition: () => 'RISK_TASKS_OPEN',
  /** Pattern 33. */
  riskTaskNotification: (taskId: string, notificationKey: string) => ({ PK: `RISK_TASK#${taskId}`, SK: `NOTIFICATION#${notificationKey}` }),
  /** Pattern 34. */
  clientRiskTask: (clientId: string, taskId: string) => ({ PK: `CLIENT#${clientId}`, SK: `RISK_TASK#${taskId}` }),
  clientRiskTaskPrefix: () => 'RISK_TASK#',
  /** Pattern 35. */
  referral: (clientId: string, taskId: string) => ({ PK: `CLIENT#${clientId}`, SK: `REFERRAL#${taskId}` }),
  referralPrefix: () => 'REFERRAL#',
  /** Pattern 36. */
  intake: (clientId: string, version: 'draft' | 'confirmed') => ({ PK: `CLIENT#${clientId}`, SK: version === 'draft' ? 'INTAKE#DRAFT' : 'INTAKE#CONFIRMED' }),
  /** Pattern 37. */
  matchPin: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'MATCH_PIN' }),
  /** Pattern 38; `endedAt` is the UTC ISO instant the therapist relationship ended. */
  rematch: (clientId: string, endedAt: string) => ({ PK: `CLIENT#${clientId}`, SK: `REMATCH#${endedAt}` }),
  rematchPrefix: () => 'REMATCH#',
  /** Pattern 39: the by-state listing item of a therapist. */
  therapistListing: (userId: string, state: string) => ({
    PK: `STAFF#${userId}`,
    SK: `THERAPISTS_IN#${state}`,
    GSI1PK: `THERAPISTS_IN#${state}`,
    GSI1SK: `STAFF#${userId}`,
  }),
  therapistListingPrefix: () => 'THERAPISTS_IN#',
  therapistsInPartition: (state: string) => `THERAPISTS_IN#${state}`,
  /** Pattern 40. */
  caseload: (userId: string) => ({ PK: `STAFF#${userId}`, SK: 'CASELOAD' }),
  /** Pattern 41: the profile's GSI1 attributes while the client's stage is active. */
  clientStageIndex: (clientId: string, stage: string) => ({ GSI1PK: `CLIENT_STAGE#${stage}`, GSI1SK: `CLIENT#${clientId}` }),
  clientStagePartition: (stage: string) => `CLIENT_STAGE#${stage}`,
  /** Pattern 42; `since` is a UTC ISO string. */
  lifecycleFlag: (clientId: string, kind: string, since: string) => ({ PK: `CLIENT#${clientId}`, SK: `LIFECYCLE_FLAG#${kind}#${since}` }),
  lifecycleFlagPrefix: () => 'LIFECYCLE_FLAG#',
  /** Pattern 43: the care lifecycle's notification keys start with `lifecycle#`. */
  lifecycleNotificationPrefix: () => 'NOTIFICATION#lifecycle#',
  /** Pattern 44; `dischargedAt` is a UTC ISO string. */
  discharge: (clientId: string, dischargedAt: string) => ({ PK: `CLIENT#${clientId}`, SK: `DISCHARGE#${dischargedAt}` }),
  dischargePrefix: () => 'DISCHARGE#',
  /** Pattern 45; `seq` from 1, zero-padded so the sort key orders numerically. */
  staffAuditEvent: (staffId: string, seq: number) => ({ PK: `STAFF_AUDIT#${staffId}`, SK: `SEQ#${String(seq).padStart(12, '0')}` }),
  /** Pattern 46. */
  staffAuditHead: (staffId: string) => ({ PK: `STAFF_AUDIT_HEAD#${staffId}`, SK: 'HEAD' }),
  /** Pattern 48: the write-once listing item of a staff member's chain. */
  staffAuditChainListing: (staffId: string) => ({
    PK: `STAFF_AUDIT_HEAD#${staffId}`,
    SK: 'CHAIN',
    GSI1PK: 'AUDIT_CHAINS',
    GSI1SK: `STAFF#${staffId}`,
  }),
  staffAuditPartition: (staffId: string) => `STAFF_AUDIT#${staffId}`,
  /** Pattern 60. */
  session: (sessionId: string) => ({ PK: `SESSION#${sessionId}`, SK: 'SESSION' }),
  sessionPartition: (sessionId: string) => `SESSION#${sessionId}`,
  /** Pattern 61; `start` is a UTC ISO string. */
  sessionsOfTherapist: (therapistId: string, start: string, sessionId: string) => ({
    GSI1PK: `SESSIONS_OF#${therapistId}`,
    GSI1SK: `${start}#${sessionId}`,
  }),
  sessionsOfTherapistPartition: (therapistId: string) => `SESSIONS_OF#${therapistId}`,
  /** Pattern 62. */
  clientSession: (clientId: string, sessionId: string) => ({ PK: `CLIENT#${clientId}`, SK: `SESSION#${sessionId}` }),
  clientSessionPrefix: () => 'SESSION#',
  /** Pattern 63. */
  sessionNotification: (sessionId: string, notificationKey: string) => ({ PK: `SESSION#${sessionId}`, SK: `NOTIFICATION#${notificationKey}` }),
  /** Pattern 64, with its pattern 65 index attributes. */
  noShowTask: (clientId: string, sessionId: string, therapistId: string, raisedAt: string) => ({
    PK: `CLIENT#${clientId}`,
    SK: `SESSION_TASK#no_shows#${sessionId}`,
    GSI1PK: `SESSION_TASKS_OF#${therapistId}`,
    GSI1SK: `OPEN#${raisedAt}#${clientId}`,
  }),
  /** Pattern 64's item key alone (closing a task removes its pattern 65 attributes). */
  noShowTaskKey: (clientId: string, sessionId: string) => ({ PK: `CLIENT#${clientId}`, SK: `SESSION_TASK#no_shows#${sessionId}` }),
  /** Pattern 65: a therapist's open session tasks (begins_with OPEN#). */
  sessionTasksOfPartition: (therapistId: string) => `SESSION_TASKS_OF#${therapistId}`,
  openSessionTaskPrefix: () => 'OPEN#',
  sessionTaskPrefix: () => 'SESSION_TASK#',
  /** Pattern 70. */
  progressNote: (clientId: string, noteId: string) => ({ PK: `CLIENT#${clientId}`, SK: `PROGRESS_NOTE#${noteId}` }),
  /** Patterns 70-71: a client's notes and addenda. */
  progressNotePrefix: () => 'PROGRESS_NOTE#',
  /** Pattern 71; `addendumId` is a UUIDv7. */
  noteAddendum: (clientId: string, noteId: string, addendumId: string) => ({ PK: `CLIENT#${clientId}`, SK: `PROGRESS_NOTE#${noteId}#ADDENDUM#${addendumId}` }),
  noteAddendumPrefix: (noteId: string) => `PROGRESS_NOTE#${noteId}#ADDENDUM#`,
  /** Pattern 72. */
  noteOfSession: (clientId: string, sessionId: string) => ({ PK: `CLIENT#${clientId}`, SK: `NOTE_OF_SESSION#${sessionId}` }),
  /** Pattern 91 (pattern 70's sort key in the unit's partition). */
  unitProgressNote: (unitId: string, noteId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `PROGRESS_NOTE#${noteId}` }),
  /** Pattern 92. */
  unitNoteAddendum: (unitId: string, noteId: string, addendumId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `PROGRESS_NOTE#${noteId}#ADDENDUM#${addendumId}` }),
  /** Pattern 93. */
  unitNoteOfSession: (unitId: string, sessionId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `NOTE_OF_SESSION#${sessionId}` }),
  /** Pattern 73 (and 94: a joint note's locator names its holder). */
  noteLocator: (noteId: string) => ({ PK: `NOTE#${noteId}`, SK: 'LOCATOR' }),
  notePartition: (noteId: string) => `NOTE#${noteId}`,
  /** Pattern 74; `noteId` is a UUIDv7. */
  psychotherapyNote: (authorId: string, clientId: string, noteId: string) => ({ PK: `PSYNOTE#${authorId}`, SK: `CLIENT#${clientId}#NOTE#${noteId}` }),
  psychotherapyNotesOfClientPrefix: (clientId: string) => `CLIENT#${clientId}#NOTE#`,
  /** Pattern 75. */
  psychotherapyNoteLocator: (authorId: string, noteId: string) => ({ PK: `PSYNOTE#${authorId}`, SK: `NOTE#${noteId}` }),
  psychotherapyNotePartition: (authorId: string) => `PSYNOTE#${authorId}`,
  /** Pattern 49; versions from 1, zero-padded so the sort key orders numerically. */
  planVersion: (clientId: string, version: number) => ({ PK: `CLIENT#${clientId}`, SK: `PLAN#V#${String(version).padStart(6, '0')}` }),
  planVersionPrefix: () => 'PLAN#V#',
  /** Pattern 50. */
  activePlan: (clientId: string) => ({ PK: `CLIENT#${clientId}`, SK: 'ACTIVE_PLAN' }),
  /** Pattern 51. */
  planAcknowledgement: (clientId: string, version: number) => ({ PK: `CLIENT#${clientId}`, SK: `PLAN_ACK#${String(version).padStart(6, '0')}` }),
  planAcknowledgementPrefix: () => 'PLAN_ACK#',
  /** Pattern 52. */
  planReview: (clientId: string, reviewId: string) => ({ PK: `CLIENT#${clientId}`, SK: `PLAN_REVIEW#${reviewId}` }),
  planReviewPrefix: () => 'PLAN_REVIEW#',
  /** Pattern 80. */
  careUnit: (unitId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: 'UNIT' }),
  careUnitPartition: (unitId: string) => `CARE_UNIT#${unitId}`,
  /** Pattern 81. */
  unitMember: (unitId: string, clientId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `MEMBER#${clientId}` }),
  /** Pattern 82. */
  clientUnitMembership: (clientId: string, unitId: string) => ({ PK: `CLIENT#${clientId}`, SK: `UNIT_MEMBERSHIP#${unitId}` }),
  clientUnitMembershipPrefix: () => 'UNIT_MEMBERSHIP#',
  /** Pattern 83. */
  unitRelease: (unitId: string, releaseId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `RELEASE#${releaseId}` }),
  /** Pattern 84. */
  unitReleaseConsent: (unitId: string, releaseId: string, forClientId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `RELEASE#${releaseId}#CONSENT#${forClientId}` }),
  /** Pattern 90: a joint session's pointer in its care unit's partition. */
  unitSession: (unitId: string, sessionId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `SESSION#${sessionId}` }),
  unitSessionPrefix: () => 'SESSION#',
  /** Pattern 85 (the sort keys of pattern 49, in the unit's partition). */
  unitPlanVersion: (unitId: string, version: number) => ({ PK: `CARE_UNIT#${unitId}`, SK: `PLAN#V#${String(version).padStart(6, '0')}` }),
  /** Pattern 86. */
  unitActivePlan: (unitId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: 'ACTIVE_PLAN' }),
  /** Pattern 87: one per member per version. */
  unitPlanAcknowledgement: (unitId: string, version: number, clientId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `PLAN_ACK#${String(version).padStart(6, '0')}#${clientId}` }),
  /** Pattern 88. */
  unitPlanReview: (unitId: string, reviewId: string) => ({ PK: `CARE_UNIT#${unitId}`, SK: `PLAN_REVIEW#${reviewId}` }),
  /** Pattern 100. */
  reviewPreferences: (therapistId: string) => ({ PK: `REVIEW#${therapistId}`, SK: 'PREFERENCES' }),
  reviewPartition: (therapistId: string) => `REVIEW#${therapistId}`,
  /** Pattern 101; `periodEnd` is a UTC ISO string. */
  progressReview: (therapistId: string, periodEnd: string) => ({ PK: `REVIEW#${therapistId}`, SK: `REVIEW_OF#${periodEnd}` }),
  progressReviewPrefix: () => 'REVIEW_OF#',
  /** Pattern 102. */
  reviewDisposition: (therapistId: string, periodEnd: string, clientId: string) => ({ PK: `REVIEW#${therapistId}`, SK: `DISPOSITION#${periodEnd}#${clientId}` }),
  reviewDispositionPrefix: (periodEnd: string) => `DISPOSITION#${periodEnd}#`,
  /** Pattern 103. */
  reviewEmailClaim: (therapistId: string, periodEnd: string) => ({ PK: `REVIEW#${therapistId}`, SK: `NOTIFICATION#review-email#${periodEnd}` }),
} as const;
