/**
 * A staff member's credentialing chain (shared/use-cases/clinicians/staff-audit-chain.ts) is
 * verified by the clients' rule (verifyChainLinks): each tampering below must be reported at the
 * link where it happened.
 */
import { describe, expect, it } from 'vitest';
import type { StaffAuditEvent } from '../../../shared/domain/staff-audit.js';
import { testAuditMac } from '../access/fakes.js';
import { nextStaffLink, verifyStaffLinks, type StaffAuditChainLink } from '../../../shared/use-cases/clinicians/staff-audit-chain.js';

const STAFF = 'a7c1e0f2-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const ADMIN = 'b8d2f1a3-4c5e-4f60-9bac-1d2e3f4a5b6c';

function event(n: number, staffId = STAFF): StaffAuditEvent {
  return {
    eventId: `c9e3a2b4-5d6f-4a71-8cbd-2e3f4a5b6c${String(n).padStart(2, '0')}`,
    at: `2027-01-0${n}T09:00:00.000Z`,
    actor: { userId: ADMIN, role: 'admin' },
    staffId,
    action: 'credentialing_change',
    outcome: 'success',
    changes: [{ field: 'caseloadCapacity', before: 20 + n, after: 21 + n }],
  };
}

const mac = testAuditMac();

async function chain(length: number): Promise<StaffAuditChainLink[]> {
  const links: StaffAuditChainLink[] = [];
  for (let n = 1; n <= length; n += 1) links.push(await nextStaffLink(mac, links.at(-1), event(n)));
  return links;
}

const headOf = (links: readonly StaffAuditChainLink[]) => ({ seq: links.at(-1)?.seq ?? 0, hash: links.at(-1)?.hash });

describe('verifyStaffLinks', async () => {
  it('finds an untouched chain intact', async () => {
    const links = await chain(4);
    expect(await verifyStaffLinks(mac, STAFF, links, headOf(links))).toMatchObject({ intact: true, length: 4 });
  });

  it('reports a changed event at its position (hash mismatch)', async () => {
    const links = await chain(4);
    const changed = links.map((link) => (link.seq === 3 ? { ...link, event: { ...link.event, changes: [{ field: 'caseloadCapacity', before: 23, after: 99 }] } } : link));
    expect(await verifyStaffLinks(mac, STAFF, changed, headOf(links))).toMatchObject({ intact: false, brokenAt: 3, problem: 'hash_mismatch' });
  });

  it("reports another staff member's event, even correctly linked", async () => {
    const links = await chain(2);
    links.push(await nextStaffLink(mac, links.at(-1), event(3, ADMIN)));
    expect(await verifyStaffLinks(mac, STAFF, links, headOf(links))).toMatchObject({ intact: false, brokenAt: 3, problem: 'malformed_event' });
  });

  it('reports a deleted link (gap) and a cut tail (head ahead of the links)', async () => {
    const links = await chain(4);
    expect(await verifyStaffLinks(mac, STAFF, links.filter((link) => link.seq !== 2), headOf(links))).toMatchObject({ intact: false, brokenAt: 2, problem: 'sequence_gap' });
    expect(await verifyStaffLinks(mac, STAFF, links.slice(0, 3), headOf(links))).toMatchObject({ intact: false, problem: 'head_mismatch' });
  });
});
