import {
  AddMemberDocument,
  AdministrationDocument,
  AdministrationsDocument,
  AdministrationsWithMembersDocument,
  CreateAdministrationDocument,
  NodeDocument,
  NodesDocument,
  NotFoundError,
  ForbiddenError,
  BadUserInputError,
  RemoveMemberDocument,
  UpdateAdministrationDocument,
  UpdateMemberDocument,
  UserErrorCode,
  UsersDocument,
  collectConnection,
  unwrap,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { gid, TestEnv, type World } from "./support/harness.js";

describe("tenancy and people", () => {
  let env: TestEnv;
  let firmA: World;
  let firmB: World;

  before(async () => {
    env = await TestEnv.create();
    firmA = await env.createWorld({ name: "Firm A", administrations: 3 });
    firmB = await env.createWorld({ name: "Firm B", administrations: 2 });
  });
  after(() => env.close());

  it("fetches several objects at once with nodes(ids), in order, null in place of what is hidden or does not exist", async () => {
    const accountant = await env.signIn(firmA.accountant.email);
    const ids = [
      gid("Administration", firmA.administrations[1]!.id),
      gid("Administration", firmB.administrations[0]!.id),
      gid("User", firmA.clients[0]!.id),
      gid("Administration", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
      gid("Administration", firmA.administrations[0]!.id),
    ];
    const { nodes } = await accountant.request(NodesDocument, { ids });
    expect(nodes.map((n) => n && [n.__typename, n.id])).to.deep.equal([["Administration", ids[0]], null, ["User", ids[2]], null, ["Administration", ids[4]]]);
    // Administrations come through one batched load, however many are asked.
    const statements = async (count: number) => {
      await accountant.request(NodesDocument, { ids: firmA.administrations.slice(0, count).map((a) => gid("Administration", a.id)) });
      return accountant.lastExtensions?.sqlStatements as number;
    };
    expect(await statements(3)).to.equal(await statements(1));
    const tooMany = await accountant.request(NodesDocument, { ids: Array.from({ length: 101 }, () => ids[0]!) }).catch((e: unknown) => e);
    expect(tooMany).to.be.instanceOf(BadUserInputError);
    expect((tooMany as Error).message).to.contain("at most 100");
  });

  it("shows accountants every administration of their own firm, and nothing of another firm", async () => {
    const accountant = await env.signIn(firmA.accountant.email);
    const list = await accountant.request(AdministrationsDocument, {});
    expect(list.administrations.totalCount).to.equal(3);
    expect(list.administrations.nodes.map((a) => a.name)).to.deep.equal(firmA.administrations.map((a) => a.name));

    for (const foreign of firmB.administrations) {
      const byQuery = await accountant.request(AdministrationDocument, { id: gid("Administration", foreign.id) }).catch((e: unknown) => e);
      expect(byQuery).to.be.instanceOf(NotFoundError);
      // node(id) is null for what the viewer may not see, exactly as for what does not exist.
      expect((await accountant.request(NodeDocument, { id: gid("Administration", foreign.id) })).node).to.equal(null);
      expect((await accountant.request(NodeDocument, { id: gid("Administration", "3f2504e0-4f89-41d3-9a0c-0305e82c3301") })).node).to.equal(null);
    }
    for (const [type, id] of [
      ["Firm", firmB.firm.id],
      ["User", firmB.clients[0]!.id],
      ["User", firmB.admin.id],
    ] as const) {
      expect((await accountant.request(NodeDocument, { id: gid(type, id) })).node).to.equal(null);
    }
  });

  it("shows a client only the administrations they are members of, while the portal is on", async () => {
    const client = await env.signIn(firmA.clients[1]!.email);
    const list = await client.request(AdministrationsDocument, {});
    expect(list.administrations.nodes.map((a) => a.name)).to.deep.equal([firmA.administrations[1]!.name]);
    expect(list.administrations.totalCount).to.equal(1);
    for (const other of [firmA.administrations[0]!, firmA.administrations[2]!, firmB.administrations[0]!]) {
      expect(await client.request(AdministrationDocument, { id: gid("Administration", other.id) }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
      expect((await client.request(NodeDocument, { id: gid("Administration", other.id) })).node).to.equal(null);
    }
    // A client sees their own membership only, and not other people of the firm.
    const own = await client.request(AdministrationDocument, { id: gid("Administration", firmA.administrations[1]!.id) });
    expect(own.administration.memberships.map((m) => m.user.email)).to.deep.equal([firmA.clients[1]!.email]);
    expect((await client.request(NodeDocument, { id: gid("User", firmA.accountant.id) })).node).to.equal(null);
    expect(await client.request(UsersDocument, {}).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);

    const admin = await env.signIn(firmA.admin.email);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: gid("Administration", firmA.administrations[1]!.id), portalEnabled: false } })).updateAdministration);
    expect((await client.request(AdministrationsDocument, {})).administrations.totalCount).to.equal(0);
    expect(await client.request(AdministrationDocument, { id: gid("Administration", firmA.administrations[1]!.id) }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: gid("Administration", firmA.administrations[1]!.id), portalEnabled: true } })).updateAdministration);
  });

  it("lets a firm admin create and update administrations, with validated numbers", async () => {
    const admin = await env.signIn(firmA.admin.email);
    const created = unwrap(
      (await admin.request(CreateAdministrationDocument, { input: { name: "  Holding BV ", vatNumber: "nl 8888.88.880 b01", chamberOfCommerceNumber: "87654321" } }))
        .createAdministration,
    );
    expect(created.administration).to.include({ name: "Holding BV", vatNumber: "NL888888880B01", chamberOfCommerceNumber: "87654321", portalEnabled: true });

    const bad = await admin.request(CreateAdministrationDocument, { input: { name: "", vatNumber: "NL12", chamberOfCommerceNumber: "12" } });
    expect(bad.createAdministration.administration).to.equal(null);
    expect(bad.createAdministration.userErrors.map((e) => e.field?.join("."))).to.deep.equal(["input.name", "input.vatNumber", "input.chamberOfCommerceNumber"]);
    expect(bad.createAdministration.userErrors.every((e) => e.code === UserErrorCode.Invalid)).to.equal(true);

    const accountant = await env.signIn(firmA.accountant.email);
    expect(await accountant.request(CreateAdministrationDocument, { input: { name: "Nope" } }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    // Another firm's admin cannot touch it.
    const otherAdmin = await env.signIn(firmB.admin.email);
    expect(await otherAdmin.request(UpdateAdministrationDocument, { input: { id: created.administration!.id, name: "Hijacked" } }).catch((e: unknown) => e)).to.be.instanceOf(
      NotFoundError,
    );
    const { rows } = await env.sql<{ name: string }>("SELECT name FROM administrations WHERE name = 'Hijacked'");
    expect(rows).to.have.length(0);
  });

  it("manages memberships: add, change approval right, remove; only clients of the same firm", async () => {
    const accountant = await env.signIn(firmA.accountant.email);
    const administrationId = gid("Administration", firmA.administrations[2]!.id);
    const added = unwrap(
      (await accountant.request(AddMemberDocument, { input: { administrationId, userId: gid("User", firmA.clients[0]!.id), canApproveFilings: false } })).addMember,
    );
    expect(added.membership?.canApproveFilings).to.equal(false);
    const twice = await accountant.request(AddMemberDocument, { input: { administrationId, userId: gid("User", firmA.clients[0]!.id) } });
    expect(twice.addMember.userErrors[0]?.code).to.equal(UserErrorCode.AlreadyExists);
    const staff = await accountant.request(AddMemberDocument, { input: { administrationId, userId: gid("User", firmA.admin.id) } });
    expect(staff.addMember.userErrors[0]?.code).to.equal(UserErrorCode.Invalid);
    const foreign = await accountant.request(AddMemberDocument, { input: { administrationId, userId: gid("User", firmB.clients[0]!.id) } });
    expect(foreign.addMember.userErrors[0]?.code).to.equal(UserErrorCode.NotFound);

    const client = await env.signIn(firmA.clients[0]!.email);
    expect((await client.request(AdministrationsDocument, {})).administrations.totalCount).to.equal(2);

    const updated = unwrap((await accountant.request(UpdateMemberDocument, { input: { membershipId: added.membership!.id, canApproveFilings: true } })).updateMember);
    expect(updated.membership?.canApproveFilings).to.equal(true);
    unwrap((await accountant.request(RemoveMemberDocument, { input: { membershipId: added.membership!.id } })).removeMember);
    expect((await client.request(AdministrationsDocument, {})).administrations.totalCount).to.equal(1);

    // A client cannot manage memberships, not even their own.
    const own = (await client.request(AdministrationDocument, { id: gid("Administration", firmA.administrations[0]!.id) })).administration.memberships[0]!;
    expect(await client.request(RemoveMemberDocument, { input: { membershipId: own.id } }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
  });

  it("rejects malformed IDs with BAD_USER_INPUT and IDs of the wrong type with NOT_FOUND", async () => {
    const accountant = await env.signIn(firmA.accountant.email);
    expect(await accountant.request(AdministrationDocument, { id: "nonsense" }).catch((e: unknown) => e)).to.be.instanceOf(BadUserInputError);
    expect(await accountant.request(AdministrationDocument, { id: gid("User", firmA.accountant.id) }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it("pages through administrations with cursors, capping `first`", async () => {
    const accountant = await env.signIn(firmA.accountant.email);
    const firstPage = await accountant.request(AdministrationsDocument, { first: 2 });
    expect(firstPage.administrations.nodes).to.have.length(2);
    expect(firstPage.administrations.pageInfo.hasNextPage).to.equal(true);
    const all = await collectConnection((after) => accountant.request(AdministrationsDocument, { first: 1, after }).then((d) => d.administrations));
    const total = (await accountant.request(AdministrationsDocument, { first: 100 })).administrations;
    expect(all.map((a) => a.id)).to.deep.equal(total.nodes.map((a) => a.id));
    expect(all).to.have.length(total.totalCount);
    expect(await accountant.request(AdministrationsDocument, { first: 101 }).catch((e: unknown) => e)).to.be.instanceOf(BadUserInputError);
    expect(await accountant.request(AdministrationsDocument, { after: "not-a-cursor" }).catch((e: unknown) => e)).to.be.instanceOf(BadUserInputError);
    const search = await accountant.request(AdministrationsDocument, { filter: { search: "holding" } });
    expect(search.administrations.nodes.map((a) => a.name)).to.deep.equal(["Holding BV"]);
  });
});

describe("batched loading", () => {
  let env: TestEnv;
  before(async () => {
    env = await TestEnv.create();
  });
  after(() => env.close());

  it("lists administrations with their memberships and users in a fixed number of SQL statements, whatever the page size", async () => {
    const world = await env.createWorld({ administrations: 50 });
    const accountant = await env.signIn(world.accountant.email);
    const counts: number[] = [];
    for (const first of [1, 5, 50]) {
      const result = await accountant.request(AdministrationsWithMembersDocument, { first });
      expect(result.administrations.nodes).to.have.length(first);
      expect(result.administrations.nodes.every((a) => a.memberships.length === 1 && a.memberships[0]!.user.email.startsWith("client"))).to.equal(true);
      counts.push(accountant.lastExtensions?.sqlStatements as number);
    }
    // authenticate + page + count + firms + memberships + users
    expect(counts).to.deep.equal([6, 6, 6]);
  });
});
