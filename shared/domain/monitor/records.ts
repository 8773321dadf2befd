/**
 * What every monitoring record (assessment, check-in, diagnosis) shares: the client in the
 * path, who wrote it, and how a page of a list is asked for.
 */
import * as z from 'zod';
import { ROLES } from '../roles.js';

export const ClientParamsSchema = z.strictObject({ clientId: z.uuid({ error: 'Not a client id.' }) });
export type ClientParams = z.infer<typeof ClientParamsSchema>;

/** Record ids are UUIDs (version 7 for new records: their order is their creation order). */
export const RecordIdSchema = z.uuid({ error: 'Not a record id.' });

export const AuthorSchema = z.strictObject({ userId: z.string(), role: z.enum(ROLES) }).meta({ id: 'RecordAuthor' });
export type Author = z.infer<typeof AuthorSchema>;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `limit` and the opaque `cursor` of the previous page's `nextCursor`. */
export const PageQueryShape = {
  limit: z.coerce
    .number({ error: `Give limit as a whole number from 1 to ${MAX_PAGE_SIZE}.` })
    .pipe(z.int({ error: `Give limit as a whole number from 1 to ${MAX_PAGE_SIZE}.` }).min(1).max(MAX_PAGE_SIZE))
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(512).optional(),
};

export const NextCursorSchema = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.');
