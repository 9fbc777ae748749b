// People, accounts and what an answer may reveal: no existence oracles, no lock-out by a stranger,
// no client told of an administration whose portal is off, an audit trail whose end is anchored and
// whose table the server's own role cannot touch.
import {
  AcceptInvitationDocument,
  ArchiveFolderAccessDocument,
  CreateAdministrationDocument,
  ArchiveFolderDocument,
  ArchiveRootDocument,
  CreateApiTokenDocument,
  CreateArchiveFolderDocument,
  DeleteArchiveFolderDocument,
  FileDocumentsDocument,
  InviteUserDocument,
  NotFoundError,
  RemoveMemberDocument,
  ReturnDocumentDocument,
  SetArchiveFolderAccessDocument,
  SignInDocument,
  TrayKind,
  UnreadNotificationCountDocument,
  UpdateAdministrationDocument,
  UpdateMemberDocument,
  UploadDocumentsDocument,
  UserErrorCode,
  UserRole,
  VerifyAuditTrailDocument,
  FolderAccess,
  unwrap,
  upload,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { auditHash } from "../src/modules/audit/audit-chain.js";
import { loadConfig } from "../src/config/config.js";
import { startPortalDesk } from "../src/server/app.js";
import { pino } from "pino";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, PASSWORD, TestEnv, uuidOf, type World } from "./support/harness.js";

/** signIn over HTTP from a chosen loopback address (127.0.0.0/8 is all this machine), as another client would. */
async function signInFrom(url: string, localAddress: string, email: string, password: string): Promise<{ token: string | null; code: string | null }> {
  const body = JSON.stringify({ query: "mutation($i: SignInInput!) { signIn(input: $i) { token userErrors { code } } }", variables: { i: { email, password } } });
  const target = new URL(url);
  const text = await new Promise<string>((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, path: "/graphql", method: "POST", localAddress, headers: { "content-type": "application/json" } },
      (response) => {
        let data = "";
        response.on("data", (c: Buffer) => (data += c.toString()));
        response.on("end", () => resolve(data));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
  const payload = (JSON.parse(text) as { data: { signIn: { token: string | null; userErrors: Array<{ code: string }> } } }).data.signIn;
  return { token: payload.token, code: payload.userErrors[0]?.code ?? null };
}

describe("hardening: accounts and what answers reveal", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let otherWorld: World;
  let staff: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create({ SIGN_IN_MAX_FAILURES: "3" });
    world = await env.createWorld({ administrations: 2 });
    otherWorld = await env.createWorld({ administrations: 1 });
    staff = await env.signIn(world.accountant.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(() => env.close());

  it("lets another firm invite an address that has an account elsewhere, revealing nothing; each password signs in at its own firm", async () => {
    const otherAdmin = await env.signIn(otherWorld.admin.email);
    const person = await env.addClient(world, 0, "two-firms");
    const email = person.email;
    const invited = unwrap(
      (
        await otherAdmin.request(InviteUserDocument, {
          input: { email, name: "Same person", role: UserRole.Client, administrationId: gid("Administration", otherWorld.administrations[0]!.id) },
        })
      ).inviteUser,
    );
    expect(invited.user?.email).to.equal(email);
    // Within one firm an address is still unique.
    const again = await otherAdmin.request(InviteUserDocument, { input: { email, name: "Twice", role: UserRole.Accountant } });
    expect(again.inviteUser.userErrors[0]?.code).to.equal(UserErrorCode.AlreadyExists);

    const otherPassword = "another long password";
    unwrap((await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: otherPassword } })).acceptInvitation);
    const atFirst = unwrap((await env.client().request(SignInDocument, { input: { email, password: PASSWORD } })).signIn);
    expect(atFirst.viewer?.firm.id).to.equal(gid("Firm", world.firm.id));
    const atOther = unwrap((await env.client().request(SignInDocument, { input: { email, password: otherPassword } })).signIn);
    expect(atOther.viewer?.firm.id).to.equal(gid("Firm", otherWorld.firm.id));

    // The same password at both firms: the firm must be named.
    await env.sql("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $1) WHERE email = $2", [person.id, email]);
    const ambiguous = await env.client().request(SignInDocument, { input: { email, password: PASSWORD } });
    expect(ambiguous.signIn.token).to.equal(null);
    expect(ambiguous.signIn.userErrors[0]?.field).to.deep.equal(["input", "firmId"]);
    const named = unwrap((await env.client().request(SignInDocument, { input: { email, password: PASSWORD, firmId: gid("Firm", otherWorld.firm.id) } })).signIn);
    expect(named.viewer?.firm.id).to.equal(gid("Firm", otherWorld.firm.id));
  });

  it("answers a change to someone else's membership exactly like one to a membership that does not exist", async () => {
    const second = await env.addClient(world, 0, "colleague");
    const [{ id: membershipId }] = (await env.sql<{ id: string }>("SELECT id FROM memberships WHERE user_id = $1", [second.id])).rows as [{ id: string }];
    const client = await env.signIn(world.clients[0]!.email);
    const madeUp = gid("Membership", "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    for (const id of [gid("Membership", membershipId), madeUp]) {
      expect(await client.request(UpdateMemberDocument, { input: { membershipId: id, canApproveFilings: true } }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
      expect(await client.request(RemoveMemberDocument, { input: { membershipId: id } }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    }
  });

  it("lets a client delete a folder whose only subfolder they cannot see, as if it were empty, and keeps who may use that subfolder", async () => {
    const deleter = world.clients[1]!;
    const colleague = await env.addClient(world, 1, "sees-more");
    const adm = gid("Administration", world.administrations[1]!.id);
    const root = (await staff.request(ArchiveRootDocument, { administrationId: adm })).administration.archive!.id;
    const create = async (parentId: string, name: string) =>
      unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId, name } })).createArchiveFolder).folder!.id;
    const grant = async (folderId: string, userId: string | null, access: FolderAccess) =>
      unwrap(
        (await staff.request(SetArchiveFolderAccessDocument, { input: { folderId, ...(userId ? { userId: gid("User", userId) } : { allClients: true }), access } }))
          .setArchiveFolderAccess,
      );
    await grant(root, null, FolderAccess.View);
    const dossier = await create(root, "Dossier");
    await grant(dossier, null, FolderAccess.Manage);
    const old = await create(dossier, "Oud");
    const hidden = await create(old, "Salarissen");
    const inner = await create(hidden, "2026");
    await grant(hidden, deleter.id, FolderAccess.None);
    const empty = await create(dossier, "Leeg");

    const asDeleter = await env.signIn(deleter.email);
    const asColleague = await env.signIn(colleague.email);
    const childrenOf = async (who: PortalDeskClient, id: string) =>
      ((await who.request(ArchiveFolderDocument, { id })).node as { children: Array<{ name: string }> }).children.map((c) => c.name);
    expect(await childrenOf(asDeleter, old)).to.deep.equal([]);

    // The same answer as for a truly empty folder.
    const deleteHidden = await asDeleter.request(DeleteArchiveFolderDocument, { input: { folderId: old } });
    const deleteEmpty = await asDeleter.request(DeleteArchiveFolderDocument, { input: { folderId: empty } });
    expect(deleteHidden.deleteArchiveFolder.userErrors).to.deep.equal([]);
    expect(deleteEmpty.deleteArchiveFolder.userErrors).to.deep.equal([]);

    // Nothing is lost, and nobody's access to it changed: the colleague still uses it, the deleter still does not see it.
    expect(await childrenOf(staff, dossier)).to.deep.equal(["Salarissen"]);
    expect(await childrenOf(asColleague, dossier)).to.deep.equal(["Salarissen"]);
    expect(await childrenOf(asColleague, hidden)).to.deep.equal(["2026"]);
    expect(await childrenOf(asDeleter, dossier)).to.deep.equal([]);
    expect((await asDeleter.request(ArchiveFolderDocument, { id: inner })).node).to.equal(null);
  });

  it("keeps a hidden subfolder hidden from clients who join later, when a deleted folder closed it to all clients", async () => {
    const adm = gid("Administration", world.administrations[1]!.id);
    const root = (await staff.request(ArchiveRootDocument, { administrationId: adm })).administration.archive!.id;
    const create = async (parentId: string, name: string) =>
      unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId, name } })).createArchiveFolder).folder!.id;
    const grant = async (folderId: string, userId: string | null, access: FolderAccess) =>
      unwrap(
        (await staff.request(SetArchiveFolderAccessDocument, { input: { folderId, ...(userId ? { userId: gid("User", userId) } : { allClients: true }), access } }))
          .setArchiveFolderAccess,
      );
    const open = await create(root, "Open map");
    await grant(open, null, FolderAccess.Manage);
    const closed = await create(open, "Alleen Bram");
    await grant(closed, null, FolderAccess.None);
    const bram = world.clients[1]!;
    await grant(closed, bram.id, FolderAccess.Manage);
    const secret = await create(closed, "Verborgen");
    await grant(secret, bram.id, FolderAccess.None);
    const asBram = await env.signIn(bram.email);
    unwrap((await asBram.request(DeleteArchiveFolderDocument, { input: { folderId: closed } })).deleteArchiveFolder);
    const newcomer = await env.addClient(world, 1, "later");
    const asNewcomer = await env.signIn(newcomer.email);
    expect((await asNewcomer.request(ArchiveFolderDocument, { id: secret })).node).to.equal(null);
    expect((await asBram.request(ArchiveFolderDocument, { id: secret })).node).to.equal(null);
    expect(((await staff.request(ArchiveFolderDocument, { id: open })).node as { children: Array<{ name: string }> }).children.map((c) => c.name)).to.include("Verborgen");
  });

  it("shows staff the same access a client has, also while the portal is off", async () => {
    const adm = gid("Administration", world.administrations[0]!.id);
    const admin = await env.signIn(world.admin.email);
    const root = (await staff.request(ArchiveRootDocument, { administrationId: adm })).administration.archive!.id;
    unwrap((await staff.request(SetArchiveFolderAccessDocument, { input: { folderId: root, allClients: true, access: FolderAccess.View } })).setArchiveFolderAccess);
    const folder = unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: root, name: "Polissen" } })).createArchiveFolder).folder!.id;
    const client = await env.signIn(world.clients[0]!.email);
    const staffView = async () =>
      ((await staff.request(ArchiveFolderAccessDocument, { id: folder })).node as { access: Array<{ user: { id: string }; access: FolderAccess }> }).access.find(
        (a) => a.user.id === gid("User", world.clients[0]!.id),
      )!.access;
    expect(await staffView()).to.equal(FolderAccess.View);
    expect(((await client.request(ArchiveFolderDocument, { id: folder })).node as { name: string }).name).to.equal("Polissen");
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: adm, portalEnabled: false } })).updateAdministration);
    try {
      expect(await staffView()).to.equal(FolderAccess.None);
      expect((await client.request(ArchiveFolderDocument, { id: folder })).node).to.equal(null);
    } finally {
      unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: adm, portalEnabled: true } })).updateAdministration);
    }
  });

  it("tells no client of an administration whose portal is off, by any path", async () => {
    const admin = await env.signIn(world.admin.email);
    const client = await env.signIn(world.clients[0]!.email);
    const uploaded = unwrap(
      (await client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "bon.pdf" })] } })).uploadDocuments,
    );
    unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [uploaded.documents[0]!.id], tray: TrayKind.Receipts } })).fileDocuments);
    const unreadBefore = (await client.request(UnreadNotificationCountDocument)).unreadNotificationCount;
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, portalEnabled: false } })).updateAdministration);
    unwrap((await staff.request(ReturnDocumentDocument, { input: { documentId: uploaded.documents[0]!.id, reason: "Onleesbaar" } })).returnDocument);
    const { rows } = await env.sql<{ n: string }>("SELECT count(*) AS n FROM notifications WHERE recipient_user_id = $1 AND kind = 'DOCUMENT_RETURNED'", [world.clients[0]!.id]);
    expect(Number(rows[0]!.n)).to.equal(0);
    const mails = await env.sql<{ n: string }>("SELECT count(*) AS n FROM outgoing_mails WHERE recipient_user_id = $1 AND kind <> 'INVITATION'", [world.clients[0]!.id]);
    expect(Number(mails.rows[0]!.n)).to.equal(0);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, portalEnabled: true } })).updateAdministration);
    expect((await client.request(UnreadNotificationCountDocument)).unreadNotificationCount).to.equal(unreadBefore);
  });

  it("does not let a stranger lock a person out: the stranger's address waits, the person's own does not, a new one is only slowed", async () => {
    const email = world.clients[1]!.email;
    const url = env.server.url;
    const usual = await signInFrom(url, "127.0.0.1", email, PASSWORD);
    expect(usual.token, String(usual.code)).to.be.a("string"); // the person's usual address
    for (let i = 0; i < 14; i++) await signInFrom(url, "127.0.0.2", email, "guessing wrong");
    expect((await signInFrom(url, "127.0.0.2", email, PASSWORD)).code).to.equal(UserErrorCode.TooManyAttempts);
    // Past the account's limit: the known address signs in at once …
    expect((await signInFrom(url, "127.0.0.1", email, PASSWORD)).token).to.be.a("string");
    // … a new address gets one attempt now (and then waits a while), which is enough for the right password.
    expect((await signInFrom(url, "127.0.0.3", email, PASSWORD)).token).to.be.a("string");
    expect((await signInFrom(url, "127.0.0.4", email, "still guessing")).code).to.equal(UserErrorCode.InvalidCredentials);
    expect((await signInFrom(url, "127.0.0.4", email, PASSWORD)).code).to.equal(UserErrorCode.TooManyAttempts);
  });

  it("shows an API token's public id, never part of its secret", async () => {
    const admin = await env.signIn(world.admin.email);
    const created = unwrap((await admin.request(CreateApiTokenDocument, { input: { name: "Koppeling" } })).createApiToken);
    expect(created.token).to.match(/^pdt_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const [publicId, secret] = [created.token!.slice(4, 12), created.token!.slice(13)];
    expect(created.apiToken?.tokenPrefix).to.equal(`pdt_${publicId}`);
    expect(secret).not.to.contain(publicId);
  });
});

describe("hardening: the audit trail's end and its table", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    staff = await env.signIn(world.accountant.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
    for (const index of [0, 1]) {
      const client = await env.signIn(world.clients[index]!.email);
      const adm = gid("Administration", world.administrations[index]!.id);
      for (let i = 0; i < 3; i++)
        unwrap(
          (await client.request(UploadDocumentsDocument, { input: { administrationId: adm, files: [upload(await pdfBytes(1, `${index}-${i}`), { filename: `f${i}.pdf` })] } }))
            .uploadDocuments,
        );
    }
  });
  after(() => env.close());

  const superuser = (sql: string, values: unknown[]) =>
    env.withConnection(async (connection) => {
      await connection.query("SET session_replication_role = replica");
      try {
        await connection.query(sql, values);
      } finally {
        await connection.query("SET session_replication_role = origin");
      }
    });
  const verify = async (id: string) => (await staff.request(VerifyAuditTrailDocument, { administrationId: id })).verifyAuditTrail;

  it("detects a deleted last event, which leaves a chain that links perfectly", async () => {
    expect((await verify(administrationId)).valid).to.equal(true);
    await superuser("DELETE FROM audit_events WHERE administration_id = $1 AND seq = (SELECT max(seq) FROM audit_events WHERE administration_id = $1)", [uuidOf(administrationId)]);
    const result = await verify(administrationId);
    expect(result.valid).to.equal(false);
    expect(result.problem).to.match(/missing/);
  });

  it("detects an event rewritten with every following hash recomputed", async () => {
    const other = gid("Administration", world.administrations[1]!.id);
    expect((await verify(other)).valid).to.equal(true);
    type Row = Parameters<typeof auditHash>[0] & { id: string; seq: string; hash: string };
    const rows = (await env.sql<Row>("SELECT * FROM audit_events WHERE administration_id = $1 ORDER BY seq", [uuidOf(other)])).rows;
    // Rewrite event 2 and re-chain 2..n, as someone with the database and the code could.
    const camel = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v])) as Row;
    let prev = camel(rows[0] as unknown as Record<string, unknown>).hash;
    for (const raw of rows.slice(1)) {
      const row = camel(raw as unknown as Record<string, unknown>);
      const changed = { ...row, prevHash: prev, note: row.seq === "2" ? "forged" : row.note };
      const hash = auditHash(changed as never);
      await superuser("UPDATE audit_events SET note = $2, prev_hash = $3, hash = $4 WHERE id = $1", [row.id, changed.note, prev, hash]);
      prev = hash;
    }
    const result = await verify(other);
    expect(result.valid).to.equal(false);
    expect(result.problem).to.match(/recorded head|rewritten/);
  });

  it("verifies a chain that grows while it is being verified", async () => {
    // The first test cut this world's chains; a fresh administration's chain is used instead.
    const admin = await env.signIn(world.admin.email);
    const created = unwrap((await admin.request(CreateAdministrationDocument, { input: { name: "Groeiend BV" } })).createAdministration).administration!.id;
    const writes = (async () => {
      for (let i = 0; i < 15; i++) unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: created, name: `Groeiend BV ${i}` } })).updateAdministration);
    })();
    const results: boolean[] = [];
    const reads = (async () => {
      for (let i = 0; i < 15; i++) results.push((await verify(created)).valid);
    })();
    await Promise.all([writes, reads]);
    expect(results.every(Boolean), JSON.stringify(results)).to.equal(true);
  });

  it("runs the server as a role that cannot change, delete or truncate audit events, write chain heads or disable triggers", async () => {
    const server = env.server.services.dataSource;
    expect((await server.query("SELECT current_user AS role, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser"))[0]).to.deep.equal({
      role: "portaldesk_app",
      superuser: false,
    });
    for (const attempt of [
      "UPDATE audit_events SET note = 'x'",
      "DELETE FROM audit_events",
      "TRUNCATE audit_events",
      "ALTER TABLE audit_events DISABLE TRIGGER ALL",
      "UPDATE audit_chain_heads SET seq = 1",
      "DELETE FROM audit_chain_heads",
      "SET session_replication_role = replica",
    ]) {
      const error = await server.query(attempt).catch((e: Error) => e);
      expect(String(error), attempt).to.match(/permission denied|must be owner|append-only|kept by the audit trail/);
    }
  });
});

describe("hardening: the embedded database", function () {
  this.timeout(120_000);

  it("migrates as its superuser and serves as a restricted role of its own", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-embedded-"));
    await fs.chmod(dataDir, 0o755);
    const server = await startPortalDesk(loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", DATABASE_URL: "" }), {
      logger: pino({ level: "silent" }),
    });
    try {
      const [row] = (await server.services.dataSource.query("SELECT current_user AS role, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser")) as Array<{
        role: string;
        superuser: boolean;
      }>;
      expect(row).to.deep.equal({ role: "portaldesk_app", superuser: false });
      const error = await server.services.dataSource.query("ALTER TABLE audit_events DISABLE TRIGGER ALL").catch((e: Error) => e);
      expect(String(error)).to.match(/must be owner/);
      await eventually(async () => (await fetch(`${server.url}/readyz`)).status === 200);
    } finally {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
