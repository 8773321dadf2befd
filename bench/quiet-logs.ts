/**
 * Imported FIRST by a bench whose static imports build the Powertools logger
 * (shared/observability/logger.ts reads POWERTOOLS_LOG_LEVEL when it is created): the tasks'
 * INFO lines would drown the figures.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
