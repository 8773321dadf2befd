import { now } from '../../shared/adapters/clock.js';
import { createSyncWorkflowClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { SIGNUP_MINIMUM_RESPONSE_MS } from '../../shared/config/signup.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware, replayWithRoleCheckOnly } from '../../shared/http/idempotency.js';
import { withMinimumDuration } from '../../shared/http/minimum-duration.js';
import { signUp } from '../../shared/use-cases/signup/sign-up.js';

const { SIGNUP_STATE_MACHINE_ARN } = readEnvironment(['SIGNUP_STATE_MACHINE_ARN']);
const dependencies = {
  workflow: createSyncWorkflowClient(),
  signupStateMachineArn: SIGNUP_STATE_MACHINE_ARN,
  now,
};

export const handler = apiHandler(
  'signup',
  async ({ body, requestId, sourceIp, userAgent }) => ({
    status: 202,
    body: await withMinimumDuration(SIGNUP_MINIMUM_RESPONSE_MS, () => signUp(dependencies, body, { requestId, ipAddress: sourceIp, userAgent })),
  }),
  { idempotency: idempotencyMiddleware, replay: replayWithRoleCheckOnly },
);
