/**
 * The route functions: one Lambda function per route of the route table (shared/http/routes.ts),
 * each with its own role, least-privilege policy and encrypted log group (AppFunction).
 *
 * They live apart from the API stack because of CloudFormation's limit of 500 resources per
 * stack: a route costs four resources here (function, role, policy, log group) and about four
 * in the API (resource, method, preflight, invoke permission); together, 72 routes made 587
 * resources. The API stack finds each function by its deterministic name
 * (`moodrx-<stage>-<route id>`), so no cross-stack export ties the two together and a route can
 * be removed in one deploy.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CORS_ALLOWED_ORIGINS, formatCorsAllowList } from '../../shared/config/cors.js';
import { ROUTES, type RouteDefinition } from '../../shared/http/routes.js';
import type { StageConfig } from '../config.js';
import { AppFunction, type AppBindings } from '../constructs/app-function.js';
import { pascal } from '../naming.js';

export interface RouteFunctionsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly bindings: AppBindings;
}

export class RouteFunctionsStack extends Stack {
  readonly functions: readonly AppFunction[];

  constructor(scope: Construct, id: string, props: RouteFunctionsStackProps) {
    super(scope, id, props);
    const { config, bindings } = props;
    this.functions = ROUTES.map((route: RouteDefinition) => {
      const fn = new AppFunction(this, pascal(route.id), {
        id: route.id,
        entry: route.entry,
        capabilities: route.capabilities,
        bindings,
        description: `${route.method} ${route.path}`,
        // API Gateway gives up after 29 s. Signup waits for its Express workflow; others are short.
        timeout: Duration.seconds(route.capabilities.includes('workflow:signup') ? 28 : 10),
        invokedBy: 'api',
      });
      // The Cognito authorizer does not check an access token's client_id; the handler does
      // (shared/http/caller.ts), against our two app clients.
      if (route.access !== 'public') {
        fn.function.addEnvironment('CLIENT_USER_POOL_CLIENT_ID', need(bindings.clientPool).client.userPoolClientId);
        fn.function.addEnvironment('STAFF_USER_POOL_CLIENT_ID', need(bindings.staffPool).client.userPoolClientId);
      }
      fn.function.addEnvironment(CORS_ALLOWED_ORIGINS, formatCorsAllowList(config.corsOrigins));
      return fn;
    });
  }
}

function need<T>(binding: T | undefined): T {
  if (binding === undefined) throw new Error('RouteFunctionsStack: the user pools are required (AppBindings.clientPool, staffPool).');
  return binding;
}
