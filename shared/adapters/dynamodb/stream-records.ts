/**
 * DynamoDB stream records (Lambda event source, NEW_IMAGE) as plain items for the use cases.
 * The image arrives in DynamoDB JSON; it is unmarshalled here, the one place that knows the
 * wire format. An image that cannot be unmarshalled is passed on as `undefined`, so the use case
 * reports the record as a failure rather than the whole batch throwing.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamedItem } from '../../use-cases/access/archive-audit-events.js';

export function streamedItem(record: DynamoDBRecord, index: number): StreamedItem {
  // Without a sequence number a failure could not be reported; such a record never comes from
  // a stream, and the index keeps ids distinct for the logs.
  const id = record.dynamodb?.SequenceNumber ?? `missing-sequence-number-${index}`;
  return { id, eventName: record.eventName, newImage: image(record) };
}

function image(record: DynamoDBRecord): unknown {
  const newImage = record.dynamodb?.NewImage;
  if (!newImage) return undefined;
  try {
    // aws-lambda's AttributeValue and the SDK's describe the same wire format.
    return unmarshall(newImage as Record<string, AttributeValue>);
  } catch {
    return undefined;
  }
}
