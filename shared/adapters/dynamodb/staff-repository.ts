/**
 * Staff records (STAFF#<userId> / PROFILE): clinicians, coordinators, supervisors and admins.
 * The directory grows with the clinician issue; today it is read by GET /v1/me and written by
 * the local seed.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffRole } from '../../domain/roles.js';
import { keys } from './keys.js';

export interface StaffProfile {
  userId: string;
  role: StaffRole;
  email: string;
  firstName: string;
  lastName: string;
  timezone?: string;
  licensedStates?: string[];
  createdAt: string;
}

export interface StaffReader {
  getStaffProfile(userId: string): Promise<StaffProfile | undefined>;
}

export function createStaffRepository(client: DynamoDBDocumentClient, tableName: string): StaffReader {
  return {
    async getStaffProfile(userId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.staffProfile(userId) }));
      if (!Item) return undefined;
      const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...profile } = Item;
      return profile as StaffProfile;
    },
  };
}
