/**
 * The client's stage and its place in the stage index (keys.ts pattern 41), written together:
 * every write of `stage` on the profile goes through here, so the reconciler's index
 * (GSI1 CLIENT_STAGE#<stage>) never disagrees with the stage. Closed stages (discharged,
 * referred) leave the index: it holds only the clients whose care lifecycle must run.
 *
 *   Put (a new profile):   { ...profile, ...stageAttributes(clientId, stage) }
 *   Update:                const u = stageUpdate(clientId, stage);
 *                          UpdateExpression: `SET ${u.set}, updatedAt = :at${u.remove}`,
 *                          ExpressionAttributeValues: { ...u.values, ':at': at }
 */
import { isClosedStage } from '../../domain/care-lifecycle.js';
import type { ClientStage } from '../../domain/signup.js';
import { keys } from './keys.js';

/** The profile's attributes for `stage`: the stage and, while it is active, the index keys. */
export function stageAttributes(clientId: string, stage: ClientStage): { stage: ClientStage; GSI1PK?: string; GSI1SK?: string } {
  return isClosedStage(stage) ? { stage } : { stage, ...keys.clientStageIndex(clientId, stage) };
}

export interface StageUpdate {
  /** Goes after `SET ` (add your own `, x = :y`). */
  set: string;
  /** Append to the whole expression: '' or ` REMOVE GSI1PK, GSI1SK`. */
  remove: string;
  /** Placeholders :stage, :stageIndexPk, :stageIndexSk. */
  values: Record<string, string>;
}

export function stageUpdate(clientId: string, stage: ClientStage): StageUpdate {
  if (isClosedStage(stage)) return { set: 'stage = :stage', remove: ' REMOVE GSI1PK, GSI1SK', values: { ':stage': stage } };
  const index = keys.clientStageIndex(clientId, stage);
  return {
    set: 'stage = :stage, GSI1PK = :stageIndexPk, GSI1SK = :stageIndexSk',
    remove: '',
    values: { ':stage': stage, ':stageIndexPk': index.GSI1PK, ':stageIndexSk': index.GSI1SK },
  };
}
