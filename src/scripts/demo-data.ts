// The demo firm: an admin, an accountant, a client allowed to approve, and one administration.
import crypto, { randomUUID } from "node:crypto";
import { SYSTEM, type UserActor } from "../core/actor.js";
import type { Services } from "../services.js";
import { Readable } from "node:stream";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { ReportKind } from "../modules/reports/report.entity.js";
import { inTransaction } from "../db/transaction.js";
import { Administration } from "../modules/administrations/administration.entity.js";
import { Membership } from "../modules/administrations/membership.entity.js";
import { hashPassword } from "../modules/auth/password.js";
import { Firm } from "../modules/firms/firm.entity.js";
import { ArchiveFolder } from "../modules/archive/archive-folder.entity.js";
import { IsNull } from "typeorm";
import { Language, User, UserStatus } from "../modules/users/user.entity.js";
import { UserRole } from "../core/roles.js";
import { ensureInboundKey, inboundAddress } from "../modules/mail-in/inbound-address.js";

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
export async function seedDemoData(services: DemoServices, givenPassword: string | null): Promise<DemoSeedResult> {
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
      vatNumber: "NL123456782B01",
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
    // The root was made with the administration (a trigger).
    const { id: root } = await manager.getRepository(ArchiveFolder).findOneByOrFail({ administrationId, parentId: IsNull() });
    for (const [name, realEstate] of [
      ["Contracten", false],
      ["Verzekeringen", false],
      ["Jaarrekeningen", false],
      ["Vastgoed", true],
    ] as const) {
      await manager.getRepository(ArchiveFolder).insert({ id: randomUUID(), firmId, administrationId, parentId: root, name, realEstate });
    }
    await manager.query("INSERT INTO archive_folder_grants (folder_id, user_id, access, updated_at, updated_by_label) VALUES ($1, NULL, 'CONTRIBUTE', now(), 'demo')", [root]);
    await audit.record(manager, SYSTEM, { firmId, administrationId, action: "demo.seeded", subjectType: "Administration", subjectId: administrationId });
    return true;
  });
  if (created) {
    await seedDemoFilings(services);
    await seedDemoFiguresAndReport(services);
  }
  return { created, generatedPassword: created && !givenPassword ? password : null };
}

type DemoServices = Pick<Services, "dataSource" | "audit" | "filings" | "figures" | "reports">;

/** The demo accountant as an actor, and the demo administration. */
async function demoAccountant(dataSource: Services["dataSource"]): Promise<{ actor: UserActor; administrationId: string }> {
  const accountant = await dataSource.getRepository(User).findOneByOrFail({ email: "accountant@demo.test" });
  const [{ id: administrationId }] = (await dataSource.query("SELECT id FROM administrations WHERE firm_id = $1", [accountant.firmId])) as Array<{ id: string }>;
  return {
    actor: { type: "USER", userId: accountant.id, firmId: accountant.firmId, role: accountant.role, label: accountant.email, sessionId: null, language: accountant.language },
    administrationId,
  };
}

/** Monthly figures of the last 18 months (shown to the client) and a published profit and loss report. */
async function seedDemoFiguresAndReport({ dataSource, figures, reports }: DemoServices): Promise<void> {
  const { actor, administrationId } = await demoAccountant(dataSource);
  const now = new Date();
  const months = Array.from({ length: 18 }, (_, i) => {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 18 + i, 1));
    // A bakery: busier in December, quieter in summer; costs follow, with a slow rise.
    const season = [0.9, 0.85, 0.95, 1, 1, 0.95, 0.8, 0.8, 1, 1.05, 1.1, 1.35][date.getUTCMonth()]!;
    const revenue = Math.round(42000 * season * (1 + i * 0.01) * 100) / 100;
    const costs = Math.round((31000 + 2500 * season + i * 150) * 100) / 100;
    return { month: date.toISOString().slice(0, 7), revenue: revenue.toFixed(2), costs: costs.toFixed(2) };
  });
  await figures.record(actor, { administrationId, months });
  await figures.setVisible(actor, { administrationId, visible: true });
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const lines = ["Bakkerij De Demo B.V.", "Winst-en-verliesrekening", `${months[6]!.month} t/m ${months[17]!.month}`, "", "(voorbeeldrapport van de demo)"];
  lines.forEach((text, i) => page.drawText(text, { x: 60, y: 760 - i * 24, size: i === 1 ? 18 : 12, font }));
  const bytes = Buffer.from(await pdf.save());
  await reports.publish(actor, {
    administrationId,
    file: Promise.resolve({ filename: "winst-en-verlies.pdf", createReadStream: () => Readable.from([bytes]) }),
    title: "Winst-en-verliesrekening laatste 12 maanden",
    kind: ReportKind.PROFIT_AND_LOSS,
    periodStart: `${months[6]!.month}-01`,
    periodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10),
  });
}

/** The last quarter's VAT return and ICP declaration, prepared by the demo accountant and offered for approval. */
async function seedDemoFilings({ dataSource, filings }: DemoServices): Promise<void> {
  const { actor, administrationId } = await demoAccountant(dataSource);
  const now = new Date();
  const quarter = Math.floor(now.getUTCMonth() / 3); // the last complete quarter (0: last year's Q4)
  const period = quarter === 0 ? { year: now.getUTCFullYear() - 1, quarter: 4 } : { year: now.getUTCFullYear(), quarter };
  const vat = await filings.createVatReturn(actor, {
    administrationId,
    period,
    boxes: { box1a: { turnover: 84250, vat: 17693 }, box1b: { turnover: 152300, vat: 13707 }, box3b: 6400, box4b: { turnover: 2100, vat: 441 }, box5b: 21480 },
  });
  const icp = await filings.createIcpDeclaration(actor, { administrationId, period, lines: [{ countryCode: "BE", vatNumber: "BE0123456749", goods: 6400 }] });
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

/** How to try documents by mail in the demo: the demo administration's address and the intake's port. */
export async function demoMailInLine(services: Services, port: number, domain: string): Promise<string | null> {
  const [row] = (await services.dataSource.query(
    "SELECT a.id, a.name FROM administrations a JOIN memberships m ON m.administration_id = a.id JOIN users u ON u.id = m.user_id WHERE u.email = $1 LIMIT 1",
    [DEMO_USERS[2].email],
  )) as Array<{ id: string; name: string }>;
  if (!row) return null;
  const key = await ensureInboundKey(services.dataSource.manager, row.id);
  return `Documents by mail: from ${DEMO_USERS[2].email} to ${inboundAddress(row.name, key, domain)} over SMTP at 127.0.0.1:${port}`;
}
