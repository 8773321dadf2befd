import { sendReviewEmail, TherapistPeriodInputSchema } from '../../../shared/use-cases/reviews/progress-reviews.js';
import { taskHandler } from '../task-handler.js';
import { progressReviewDependencies } from './task-dependencies.js';

const deps = progressReviewDependencies({ sendsEmail: true });

export const handler = taskHandler('SendReviewEmail', TherapistPeriodInputSchema, (input) => sendReviewEmail(input, deps));
