import {
  AuditTrailDocument,
  CreateAdministrationDocument,
  ForbiddenError,
  NotFoundError,
  UpdateAdministrationDocument,
  VerifyAuditTrailDocument,
  AddMemberDocument,
  ActorType,
  unwrap,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { gid, TestEnv, uuidOf, type World } from "./support/harness.js";

describe("audit trail", () => {
  let env: TestEnv;
  let world: World;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld();
    const admin = await env.signIn(world.admin.email);
    const created = unwrap((await admin.request(CreateAdministrationDocument, { input: { name: "Audited BV" } })).createAdministration);
    administrationId = created.administration!.id;
    for (const name of ["Audited BV 2", "Audited BV 3"]) {
      unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, name } })).updateAdministration);
    }
    unwrap((await admin.request(AddMemberDocument, { input: { administrationId, userId: gid("User", world.clients[0]!.id), canApproveFilings: true } })).addMember);
  });
  after(() => env.close());

  it("records every change with who, what and when, chained by hashes", async () => {
    const accountant = await env.signIn(world.accountant.email);
    const trail = await accountant.request(AuditTrailDocument, { administrationId });
    const events = [...trail.auditTrail.nodes].reverse();
    expect(events.map((e) => e.action)).to.deep.equal(["administration.created", "administration.updated", "administration.updated", "membership.added"]);
    expect(events.map((e) => e.seq)).to.deep.equal(["1", "2", "3", "4"]);
    expect(events[0]!.prevHash).to.equal("0".repeat(64));
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).to.equal(events[i - 1]!.hash);
    expect(events[0]!.actor).to.deep.include({ type: ActorType.User, label: world.admin.email, id: gid("User", world.admin.id) });
    expect(events[1]!.details).to.deep.equal({ changed: { name: "Audited BV 2" } });

    const verified = await accountant.request(VerifyAuditTrailDocument, { administrationId });
    expect(verified.verifyAuditTrail).to.deep.equal({ valid: true, eventCount: 4, firstInvalidSeq: null, problem: null });
  });

  it("refuses to update or delete a link (append-only)", async () => {
    const error = await env.sql("UPDATE audit_events SET note = 'edited'").catch((e: Error) => e);
    expect(String(error)).to.contain("append-only");
    const deletion = await env.sql("DELETE FROM audit_events").catch((e: Error) => e);
    expect(String(deletion)).to.contain("append-only");
  });

  it("reports a row changed behind the API's back", async () => {
    // Someone with superuser rights bypasses the trigger and edits link 2.
    await env.withConnection(async (connection) => {
      await connection.query("SET session_replication_role = replica");
      await connection.query(`UPDATE audit_events SET details = '{"changed": {"name": "Something else"}}' WHERE administration_id = $1 AND seq = 2`, [uuidOf(administrationId)]);
      await connection.query("SET session_replication_role = origin");
    });
    const accountant = await env.signIn(world.accountant.email);
    const verified = await accountant.request(VerifyAuditTrailDocument, { administrationId });
    expect(verified.verifyAuditTrail.valid).to.equal(false);
    expect(verified.verifyAuditTrail.firstInvalidSeq).to.equal("2");
    expect(verified.verifyAuditTrail.problem).to.equal("event 2 was changed after it was recorded");
  });

  it("is readable by the firm's staff only", async () => {
    const client = await env.signIn(world.clients[0]!.email);
    expect(await client.request(AuditTrailDocument, { administrationId }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    const foreign = await env.createWorld();
    const foreignAccountant = await env.signIn(foreign.accountant.email);
    expect(await foreignAccountant.request(AuditTrailDocument, { administrationId }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it("keeps a firm-level chain for staff and API-token events", async () => {
    const admin = await env.signIn(world.admin.email);
    const trail = await admin.request(AuditTrailDocument, {});
    expect(trail.auditTrail.nodes.map((e) => e.action)).to.include("auth.signed_in");
    expect((await admin.request(VerifyAuditTrailDocument, {})).verifyAuditTrail.valid).to.equal(true);
    const accountant = await env.signIn(world.accountant.email);
    expect(await accountant.request(AuditTrailDocument, {}).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
  });

  it("keeps the chain unbroken under concurrent changes", async () => {
    const admin = await env.signIn(world.admin.email);
    const target = gid("Administration", world.administrations[1]!.id);
    await Promise.all(Array.from({ length: 12 }, (_, i) => admin.request(UpdateAdministrationDocument, { input: { id: target, name: `Concurrent ${i}` } })));
    const verified = await admin.request(VerifyAuditTrailDocument, { administrationId: target });
    expect(verified.verifyAuditTrail.valid).to.equal(true);
    expect(verified.verifyAuditTrail.eventCount).to.equal(12);
  });
});
