/**
 * The DynamoDB document client. Create it once per cold start (module scope of a handler) and
 * pass it to repositories. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_DYNAMODB locally), never from our code.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    // Optional attributes (a phone number) are simply absent, not a marshalling error.
    marshallOptions: { removeUndefinedValues: true },
  });
}
