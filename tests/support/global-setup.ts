/**
 * Vitest globalSetup for the integration tests: ONE local stack, in memory, on free ports,
 * with the demo data, shared by every test file. Tests reach it over HTTP (`inject('localStack')`)
 * and, for repositories and adapters, directly: the stack's environment (AWS_ENDPOINT_URL_*,
 * TABLE_NAME, pool ids...) is applied to process.env here, before Vitest starts its workers,
 * which inherit it.
 *
 * LOCAL_STACK_VERBOSE=1 prints the API access log too.
 *
 * Handlers log at WARN and above (POWERTOOLS_LOG_LEVEL=WARN) so their INFO lines do not flood
 * the test output. The stack runs its handlers in this (the main) process and Powertools reads
 * the level when a handler's logger is constructed, so it is set here, before the stack is even
 * imported; vitest.config.ts sets the same default for the workers. A level already set by
 * whoever runs the tests wins: `POWERTOOLS_LOG_LEVEL=INFO npx vitest run --project integration`
 * shows the logs again (AWS_LAMBDA_LOG_LEVEL, if set, overrides both: Powertools gives it
 * precedence).
 *
 * Every handler and task the stack runs is held to its own table IAM (local/iam/table-guard.ts);
 * the teardown fails the run if any call was refused.
 */
import type { TestProject } from 'vitest/node';

export interface ProvidedLocalStack {
  apiUrl: string;
  sesEndpoint: string;
  inboxUrl: string;
  env: Record<string, string>;
  clientPool: ProvidedUserPool;
  staffPool: ProvidedUserPool;
}

export interface ProvidedUserPool {
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localStack: ProvidedLocalStack;
  }
}

const ACCESS_LOG_LINE = /^[A-Z]+ \S+ \d{3} [\d.]+ms /;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';
  // Imported only now, so no logger the stack's modules construct can be built before the level is set.
  const { startLocalStack } = await import('../../local/stack.js');
  const verbose = process.env.LOCAL_STACK_VERBOSE === '1';
  const stack = await startLocalStack({
    apiPort: 0,
    inMemory: true,
    seed: true,
    // Handler failures and warnings always show; the access log only on request.
    log: (line) => {
      if (verbose || !ACCESS_LOG_LINE.test(line)) console.log(`[local stack] ${line}`);
    },
  });
  project.provide('localStack', {
    apiUrl: stack.apiUrl,
    sesEndpoint: stack.sesEndpoint,
    inboxUrl: stack.inboxUrl,
    env: stack.env,
    clientPool: { ...stack.clientPool },
    staffPool: { ...stack.staffPool },
  });
  const { denials } = await import('../../local/iam/table-guard.js');
  return async () => {
    await stack.stop();
    // Every handler and task ran as its function, held to its table IAM: one refused call means
    // a grant missing from its capabilities, which would fail in AWS. The run fails here even if
    // the test that made the call passed (a refusal some code path swallowed).
    const refused = denials();
    if (refused.length > 0) {
      const lines = [...new Set(refused.map((d) => `${d.functionId}: ${d.action} on ${d.index ? 'GSI1 ' : ''}${d.partition}`))];
      throw new Error(`The local table guard refused ${refused.length} call(s) the functions' IAM would refuse in AWS:\n${lines.join('\n')}`);
    }
  };
}
