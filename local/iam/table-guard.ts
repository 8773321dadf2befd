/**
 * The table's IAM, enforced on this machine. In AWS each function's role allows exactly the
 * table policy its capabilities derive (shared/platform/table-access.ts `tablePolicyOf`, turned
 * into statements by infra/constructs/app-function.ts); here every handler and task shares one
 * process and one set of fake credentials, so nothing would stop a function from touching a
 * partition its role cannot. This guard closes that gap: the local stack runs each invocation
 * as its function (`runAsFunction`), and every DynamoDB call made meanwhile is checked against
 * that function's policy, with IAM's own rules (LeadingKeys of every item a request touches,
 * a transaction's items one by one, the explicit Deny on the audit partitions). A call its role
 * would refuse fails with AccessDeniedException, as in AWS, and is remembered (`denials()`), so
 * the integration run fails on a missing grant rather than production.
 *
 * Calls outside any invocation (seeding, test set-up) are not checked: they are not a function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { installDocumentClientHook } from '../../shared/adapters/dynamodb/document-client.js';
import type { Capability } from '../../shared/platform/capabilities.js';
import { isAllowed, tablePolicyOf, type TablePolicy } from '../../shared/platform/table-access.js';

interface Invocation {
  functionId: string;
  policy: TablePolicy;
}

export interface Denial {
  functionId: string;
  action: string;
  /** The partition key's prefix only (up to its first '#'): keys can hold an email address. */
  partition: string;
  index: boolean;
}

const current = new AsyncLocalStorage<Invocation>();
const policies = new Map<string, TablePolicy>();
const denied: Denial[] = [];

/** Runs `call` as the function `functionId`: its DynamoDB calls are held to its table policy. */
export function runAsFunction<T>(fn: { id: string; capabilities: readonly Capability[] }, call: () => T): T {
  let policy = policies.get(fn.id);
  if (!policy) {
    policy = tablePolicyOf(fn.id, fn.capabilities);
    policies.set(fn.id, policy);
  }
  return current.run({ functionId: fn.id, policy }, call);
}

/** Every refused call since the guard was installed (or last cleared). */
export function denials(): readonly Denial[] {
  return denied;
}

type Item = Record<string, unknown> | undefined;
interface Call {
  action: string;
  leadingKeys: string[];
  index: boolean;
}

/** A key attribute's value, marshalled ({ S: '…' }) or not. */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return undefined;
}

const pk = (item: Item): string[] => {
  const value = stringOf(item?.PK);
  return value === undefined ? [] : [value];
};

/** The partition key a Query's key condition names (`PK = :v` or `GSI1PK = :v`, aliases resolved). */
function queryPartition(input: Record<string, unknown>, attribute: string): string[] {
  const expression = String(input.KeyConditionExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const match of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const name = match[1]!.startsWith('#') ? names[match[1]!] : match[1];
    if (name === attribute) {
      const value = stringOf(values[match[2]!]);
      return value === undefined ? [] : [value];
    }
  }
  return [];
}

/** The IAM actions and partition keys of one command (a transaction: one call per item). */
export function callsOf(commandName: string, input: Record<string, unknown>): Call[] {
  const command = commandName.replace(/Command$/, '');
  const table = (action: string, leadingKeys: string[]): Call => ({ action: `dynamodb:${action}`, leadingKeys, index: false });
  switch (command) {
    case 'Get':
    case 'GetItem':
      return [table('GetItem', pk(input.Key as Item))];
    case 'Put':
    case 'PutItem':
      return [table('PutItem', pk(input.Item as Item))];
    case 'Update':
    case 'UpdateItem':
      return [table('UpdateItem', pk(input.Key as Item))];
    case 'Delete':
    case 'DeleteItem':
      return [table('DeleteItem', pk(input.Key as Item))];
    case 'Query': {
      const index = typeof input.IndexName === 'string';
      return [{ action: 'dynamodb:Query', leadingKeys: queryPartition(input, index ? 'GSI1PK' : 'PK'), index }];
    }
    case 'BatchGet':
    case 'BatchGetItem':
      return [table('BatchGetItem', Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>).flatMap((request) => (request.Keys ?? []).flatMap(pk)))];
    case 'BatchWrite':
    case 'BatchWriteItem':
      return [
        table(
          'BatchWriteItem',
          Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }[]>).flatMap((requests) =>
            requests.flatMap((request) => pk(request.PutRequest?.Item ?? request.DeleteRequest?.Key)),
          ),
        ),
      ];
    case 'TransactWrite':
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Record<string, { Item?: Item; Key?: Item }>[]).map((entry) => {
        if (entry.Put) return table('PutItem', pk(entry.Put.Item));
        if (entry.Update) return table('UpdateItem', pk(entry.Update.Key));
        if (entry.Delete) return table('DeleteItem', pk(entry.Delete.Key));
        return table('ConditionCheckItem', pk(entry.ConditionCheck?.Key));
      });
    case 'TransactGet':
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as { Get?: { Key?: Item } }[]).map((entry) => table('GetItem', pk(entry.Get?.Key)));
    default:
      // Scan, DescribeTable, ...: no function is granted them.
      return [table(command, [])];
  }
}

class AccessDeniedException extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  constructor(message: string) {
    super(message);
    this.name = 'AccessDeniedException';
  }
}

let installed: { count: number; uninstall: () => void } | undefined;

/**
 * Checks every document client created from now on; returns the uninstall. Installs in one
 * process nest (the local stack and a workflow harness): the guard stays until the last uninstall.
 */
export function installTableGuard(): () => void {
  if (installed) {
    installed.count += 1;
  } else {
    installed = { count: 1, uninstall: installDocumentClientHook(guard) };
  }
  let done = false;
  return () => {
    if (done || !installed) return;
    done = true;
    installed.count -= 1;
    if (installed.count === 0) {
      installed.uninstall();
      installed = undefined;
    }
  };
}

function guard(client: Parameters<Parameters<typeof installDocumentClientHook>[0]>[0]): void {
  const log = (line: string) => console.error(line);
  {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const invocation = current.getStore();
        if (invocation) {
          for (const call of callsOf(String(context.commandName ?? ''), args.input as Record<string, unknown>)) {
            if (isAllowed(invocation.policy, call)) continue;
            const denial: Denial = {
              functionId: invocation.functionId,
              action: call.action,
              partition: call.leadingKeys.map((k) => `${k.split('#')[0]}#`).join(',') || '(none)',
              index: call.index,
            };
            denied.push(denial);
            const where = `${denial.index ? 'GSI1 ' : ''}${denial.partition}`;
            log(`[table-guard] ${denial.functionId} may not ${call.action} on ${where}: its capabilities do not grant it (shared/platform/table-access.ts)`);
            throw new AccessDeniedException(`User is not authorized to perform: ${call.action} on ${where} (local table guard, function ${denial.functionId})`);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'moodrxLocalTableGuard', override: true },
    );
  }
}
