// The demo firm: an admin, an accountant, a client allowed to approve, and one administration.
import crypto, { randomUUID } from "node:crypto";
import { SYSTEM, type UserActor } from "../core/actor.js";
import type { Services } from "../services.js";
import { inTransaction } from "../db/transaction.js";
import { Administration } from "../modules/administrations/administration.entity.js";
import { Membership } from "../modules/administrations/membership.entity.js";
import { hashPassword } from "../modules/auth/password.js";
import { Firm } from "../modules/firms/firm.entity.js";
import { ArchiveFolder } from "../modules/archive/archive-folder.entity.js";
import { ROOT_NAME } from "../modules/archive/archive.service.js";
import { Language, User, UserRole, UserStatus } from "../modules/users/user.entity.js";

export const DEMO_USERS = [
  { email: "admin@demo.test", name: "Anne Admin", role: UserRole.FIRM_ADMIN },
  { email: "accountant@demo.test", name: "Bram Boekhouder", role: UserRole.ACCOUNTANT },
  { email: "client@demo.test", name: "Carla Klant", role: UserRole.CLIENT },
] as const;

export interface DemoSeedResult {
  created: boolean;
  /** Set only when generated (not given): to be shown once. */
  generatedPassword: string | null;
}

/** Creates the demo firm unless any firm exists (with filings awaiting the client's approval). Idempotent. */
export async function seedDemoData(services: Pick<Services, "dataSource" | "audit" | "filings">, givenPassword: string | null): Promise<DemoSeedResult> {
  const { dataSource, audit } = services;
  const password = givenPassword ?? crypto.randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const created = await inTransaction(dataSource, async (manager) => {
    // Two instances seeding at once: one does it, the other sees the firm.
    await manager.query("SELECT pg_advisory_xact_lock(7270002)");
    if ((await manager.getRepository(Firm).count()) > 0) return false;
    const firmId = randomUUID();
    await manager.getRepository(Firm).insert({ id: firmId, name: "Demo Accountants" });
    const administrationId = randomUUID();
    await manager.getRepository(Administration).insert({
      id: administrationId,
      firmId,
      name: "Bakkerij De Demo B.V.",
      vatNumber: "NL123456789B01",
      chamberOfCommerceNumber: "12345678",
      portalEnabled: true,
    });
    for (const demo of DEMO_USERS) {
      const userId = randomUUID();
      await manager.getRepository(User).insert({
        id: userId,
        firmId,
        email: demo.email,
        name: demo.name,
        role: demo.role,
        status: UserStatus.ACTIVE,
        language: Language.NL,
        passwordHash,
      });
      if (demo.role === UserRole.CLIENT) {
        await manager.getRepository(Membership).insert({ id: randomUUID(), userId, administrationId, canApproveFilings: true });
      }
    }
    // An archive the demo client can open: root visible to all clients, a folder to add to.
    const root = randomUUID();
    await manager.getRepository(ArchiveFolder).insert({ id: root, firmId, administrationId, parentId: null, name: ROOT_NAME, realEstate: false });
    for (const [name, realEstate] of [["Contracten", false], ["Verzekeringen", false], ["Jaarrekeningen", false], ["Vastgoed", true]] as const) {
      await manager.getRepository(ArchiveFolder).insert({ id: randomUUID(), firmId, administrationId, parentId: root, name, realEstate });
    }
    await manager.query("INSERT INTO archive_folder_grants (folder_id, user_id, access, updated_at, updated_by_label) VALUES ($1, NULL, 'CONTRIBUTE', now(), 'demo')", [root]);
    await audit.record(manager, SYSTEM, { firmId, administrationId, action: "demo.seeded", subjectType: "Administration", subjectId: administrationId });
    return true;
  });
  if (created) await seedDemoFilings(services);
  return { created, generatedPassword: created && !givenPassword ? password : null };
}

/** The last quarter's VAT return and ICP declaration, prepared by the demo accountant and offered for approval. */
async function seedDemoFilings({ dataSource, filings }: Pick<Services, "dataSource" | "filings">): Promise<void> {
  const accountant = await dataSource.getRepository(User).findOneByOrFail({ email: "accountant@demo.test" });
  const [{ id: administrationId }] = (await dataSource.query("SELECT id FROM administrations WHERE firm_id = $1", [accountant.firmId])) as Array<{ id: string }>;
  const actor: UserActor = { type: "USER", userId: accountant.id, firmId: accountant.firmId, role: accountant.role, label: accountant.email, sessionId: null };
  const now = new Date();
  const quarter = Math.floor(now.getUTCMonth() / 3); // the last complete quarter (0: last year's Q4)
  const period = quarter === 0 ? { year: now.getUTCFullYear() - 1, quarter: 4 } : { year: now.getUTCFullYear(), quarter };
  const vat = await filings.createVatReturn(actor, {
    administrationId,
    period,
    boxes: { box1a: { turnover: 84250, vat: 17693 }, box1b: { turnover: 152300, vat: 13707 }, box3b: 6400, box4b: { turnover: 2100, vat: 441 }, box5b: 21480 },
  });
  const icp = await filings.createIcpDeclaration(actor, { administrationId, period, lines: [{ countryCode: "BE", vatNumber: "BE0123456789", goods: 6400 }] });
  await filings.requestApproval(actor, { filingId: vat.id, note: "Graag uw akkoord op de btw-aangifte; de cijfers komen uit de boekhouding van het kwartaal." });
  await filings.requestApproval(actor, { filingId: icp.id });
}

/** The console lines that tell a person how to sign in (never sent to the log). */
export function demoBanner(url: string, result: DemoSeedResult, givenPassword: string | null): string {
  const password = result.generatedPassword ?? (givenPassword ? "(the DEMO_PASSWORD you set)" : "(printed when first created)");
  return [
    "",
    "  PortalDesk demo data created:",
    ...DEMO_USERS.map((u) => `    ${u.role.padEnd(10)} ${u.email.padEnd(22)} password: ${password}`),
    `  GraphQL at ${url}/graphql`,
    "",
  ].join("\n");
}
