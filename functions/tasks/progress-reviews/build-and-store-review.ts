import { buildAndStoreReview, TherapistPeriodInputSchema } from '../../../shared/use-cases/reviews/progress-reviews.js';
import { taskHandler } from '../task-handler.js';
import { progressReviewDependencies } from './task-dependencies.js';

const deps = progressReviewDependencies({ sendsEmail: false });

export const handler = taskHandler('BuildAndStoreReview', TherapistPeriodInputSchema, (input) => buildAndStoreReview(input, deps));
