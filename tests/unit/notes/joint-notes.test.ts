import { describe, expect, it } from 'vitest';
import { decideJointNoteAccess } from '../../../shared/domain/notes/joint-notes.js';
import type { RecordAction } from '../../../shared/domain/access.js';

const unit = { therapistId: 'therapist-1' };
const note = { memberIds: ['member-a', 'member-b'] };
const client = (userId: string) => ({ userId, role: 'client' });

describe('who may do what on a joint note', () => {
  it("lets the unit's therapist write and read, and no other clinician", () => {
    for (const action of ['create', 'update', 'read', 'list'] as RecordAction[]) {
      expect(decideJointNoteAccess({ caller: { userId: 'therapist-1', role: 'therapist' }, unit, note, action })).toEqual({ allowed: true, as: 'unit_therapist' });
      expect(decideJointNoteAccess({ caller: { userId: 'therapist-2', role: 'therapist' }, unit, note, action }).allowed).toBe(false);
      expect(decideJointNoteAccess({ caller: { userId: 'supervisor-1', role: 'supervisor' }, unit, note, action }).allowed).toBe(false);
    }
    expect(decideJointNoteAccess({ caller: { userId: 'therapist-1', role: 'therapist' }, unit: {}, note, action: 'read' }).allowed).toBe(false);
  });

  it('lets an invited ACTIVE member read (the list and the note), never write', () => {
    const active = { status: 'active' };
    expect(decideJointNoteAccess({ caller: client('member-a'), unit, membership: active, note, action: 'read' })).toEqual({ allowed: true, as: 'member' });
    expect(decideJointNoteAccess({ caller: client('member-a'), unit, membership: active, action: 'list' })).toEqual({ allowed: true, as: 'member' });
    for (const action of ['create', 'update', 'delete'] as RecordAction[]) {
      expect(decideJointNoteAccess({ caller: client('member-a'), unit, membership: active, note, action }).allowed).toBe(false);
    }
  });

  it('refuses a member who left or was removed, a member not invited to the session, and a non-member', () => {
    for (const status of ['left', 'removed', 'invited', 'declined']) {
      expect(decideJointNoteAccess({ caller: client('member-a'), unit, membership: { status }, note, action: 'read' }).allowed).toBe(false);
      expect(decideJointNoteAccess({ caller: client('member-a'), unit, membership: { status }, action: 'list' }).allowed).toBe(false);
    }
    expect(decideJointNoteAccess({ caller: client('member-c'), unit, membership: { status: 'active' }, note, action: 'read' }).allowed).toBe(false);
    expect(decideJointNoteAccess({ caller: client('stranger'), unit, note, action: 'read' }).allowed).toBe(false);
  });
});
