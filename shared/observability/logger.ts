/**
 * One Powertools logger for every function. Log identifiers and outcomes, never health data,
 * request bodies, tokens or passwords: handlers log ids and error codes only.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'moodrx' });
