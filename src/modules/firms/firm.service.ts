// Firms: the tenants. The operator makes them (`npm run firm:create`), each with its first admin
// invited; a firm exists only for its own people and tokens.
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireActor, SYSTEM, userIdOf, type Viewer } from "../../core/actor.js";
import { NotFoundError, throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { emailProblem, normaliseEmail, requiredText } from "../../core/validation.js";
import { assertMayChangeFirmSettings, seesFirm } from "./firm.policy.js";
import { inTransaction } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import type { AuthService } from "../auth/auth.service.js";
import { revokeSessions } from "../auth/sessions.js";
import type { TwoFactorService } from "../auth/two-factor.js";
import type { EventBus } from "../../events/bus.js";
import type { Language, User } from "../users/user.entity.js";
import { Firm } from "./firm.entity.js";
import { receiveLogo } from "./firm-logo.js";
import type { HourlyLimit } from "../auth/hourly-limit.js";
import type { IncomingFile } from "../../core/incoming-file.js";
import type { BlobStorage } from "../../storage/blob-storage.js";

export interface NewFirm {
  name: string;
  adminEmail: string;
  adminName: string;
  adminLanguage?: Language | null;
}

export interface FirmSettingsInput {
  displayName?: string | null;
  brandColour?: string | null;
  mailSenderName?: string | null;
  replyTo?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  website?: string | null;
  requireTwoFactorForStaff?: boolean | null;
  requireTwoFactorForClients?: boolean | null;
}

type Settings = Pick<Firm, "displayName" | "brandColour" | "mailSenderName" | "replyTo" | "contactEmail" | "contactPhone" | "website">;

/** The checked new values of the fields given (undefined: unchanged; null or "": cleared), or every problem at once. */
function settingsChanges(input: FirmSettingsInput): Partial<Settings> {
  const problems: UserError[] = [];
  const changes: Partial<Settings> = {};
  const set = <K extends keyof Settings>(key: K, check: (value: string) => UserError | null, normalise: (value: string) => string = (v) => v) => {
    const raw = input[key];
    if (raw === undefined) return;
    const value = raw?.trim() ?? "";
    if (value === "") {
      changes[key] = null;
      return;
    }
    const problem = check(value);
    if (problem) problems.push(problem);
    else changes[key] = normalise(value);
  };
  const text = (field: string, label: Localized, max: number) => (value: string) => requiredText(value, [field], label, max);
  const pattern = (field: string, test: RegExp, message: Localized) => (value: string) => (test.test(value) ? null : new UserError(UserErrorCode.INVALID, message, [field]));
  set("displayName", text("displayName", { en: "Display name", nl: "De naam voor klanten" }, 200));
  set(
    "brandColour",
    pattern("brandColour", /^#[0-9a-fA-F]{6}$/, { en: "A colour is written #rrggbb, e.g. #1a5fb4", nl: "Een huisstijlkleur schrijft u als #rrggbb, bijvoorbeeld #1a5fb4" }),
    (v) => v.toLowerCase(),
  );
  set("mailSenderName", text("mailSenderName", { en: "Sender name", nl: "De afzendernaam" }, 100));
  set("replyTo", (v) => emailProblem(v, ["replyTo"]), normaliseEmail);
  set("contactEmail", (v) => emailProblem(v, ["contactEmail"]), normaliseEmail);
  set(
    "contactPhone",
    pattern("contactPhone", /^\+?[0-9 ()-]{6,40}$/, {
      en: "A phone number has digits, spaces, +, - and parentheses",
      nl: "Een telefoonnummer bestaat uit cijfers, spaties, +, - en haakjes",
    }),
  );
  set(
    "website",
    pattern("website", /^(https?:\/\/)?[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i, {
      en: "A website is a domain or an http(s) address, e.g. jansen.nl",
      nl: "Een website is een domeinnaam of een http(s)-adres, bijvoorbeeld jansen.nl",
    }),
  );
  throwIfAny(problems);
  return changes;
}

export interface FirmSummary {
  firm: Firm;
  admins: number;
  staff: number;
  clients: number;
  administrations: number;
}

export class FirmService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly twoFactor: TwoFactorService,
    private readonly bus: EventBus,
    private readonly storage: BlobStorage,
    private readonly tempDir: string,
    private readonly signUps: { open: boolean; limit: HourlyLimit },
  ) {}

  /** A firm's name, colour and logo for its sign-in page: public (nothing else of the firm), or null. */
  async branding(id: string): Promise<Firm | null> {
    return this.dataSource.getRepository(Firm).findOneBy({ id });
  }

  /** A firm admin sets the logo (a PNG or SVG, stored redrawn as PNG) or removes it (null); audited. */
  async setLogo(viewer: Viewer, upload: Promise<IncomingFile> | null): Promise<Firm> {
    const actor = requireActor(viewer);
    assertMayChangeFirmSettings(actor);
    let logoSha256: string | null = null;
    if (upload) {
      const png = await receiveLogo(upload, this.tempDir);
      logoSha256 = createHash("sha256").update(png).digest("hex");
      await this.storage.put(logoSha256, Readable.from([png]));
    }
    return inTransaction(this.dataSource, async (manager) => {
      const before = await manager.getRepository(Firm).findOneByOrFail({ id: actor.firmId });
      if (!upload && !before.logoSha256)
        throw new UserError(UserErrorCode.WRONG_STATE, { en: "The firm has no logo to remove", nl: "Het kantoor heeft geen logo om te verwijderen" }, ["logo"]);
      await manager.getRepository(Firm).update({ id: before.id }, { logoSha256 });
      await this.audit.record(manager, actor, {
        firmId: before.id,
        administrationId: null,
        action: upload ? "firm.logo_set" : "firm.logo_removed",
        subjectType: "Firm",
        subjectId: before.id,
        details: { logoSha256, previous: before.logoSha256 },
      });
      return manager.getRepository(Firm).findOneByOrFail({ id: before.id });
    });
  }

  /** A firm exists only for its own people and tokens. */
  async findVisible(actor: Actor, id: string): Promise<Firm> {
    if (!seesFirm(actor, id)) throw new NotFoundError("Firm");
    const firm = await this.dataSource.getRepository(Firm).findOneBy({ id });
    if (!firm) throw new NotFoundError("Firm");
    return firm;
  }

  /**
   * Makes a firm and invites its first admin (the invitation is mailed; its token is returned once,
   * for the operator). Made by the operator, or by anyone through sign-up (`via`).
   */
  async create(input: NewFirm, via: { signUpFrom: string } | null = null): Promise<{ firm: Firm; admin: User; invitationToken: string; expiresAt: Date }> {
    throwIfAny([requiredText(input.name, ["name"], { en: "Name", nl: "De naam" }, 200)].filter((e): e is UserError => e !== null));
    return inTransaction(this.dataSource, async (manager) => {
      const firm = manager.getRepository(Firm).create({ id: randomUUID(), name: input.name.trim() });
      await manager.getRepository(Firm).insert(firm);
      await this.audit.record(manager, via ? { type: "SYSTEM", label: "sign-up" } : SYSTEM, {
        firmId: firm.id,
        administrationId: null,
        action: "firm.created",
        subjectType: "Firm",
        subjectId: firm.id,
        details: { name: firm.name, ...(via ? { via: "sign-up", address: via.signUpFrom } : { via: "operator" }) },
      });
      const invited = await this.auth.inviteFirmAdmin(manager, firm, { email: input.adminEmail, name: input.adminName, language: input.adminLanguage });
      return {
        firm: await manager.getRepository(Firm).findOneByOrFail({ id: firm.id }),
        admin: invited.user,
        invitationToken: invited.invitationToken,
        expiresAt: invited.expiresAt,
      };
    });
  }

  /**
   * Anyone starts a firm (SIGNUP=open): the firm is made and its admin invited by mail, so the
   * address is verified by taking up the invitation (choosing the password). Limited per address.
   */
  async signUp(input: NewFirm, address: string): Promise<void> {
    if (!this.signUps.open)
      throw new UserError(UserErrorCode.WRONG_STATE, {
        en: "Sign-up is closed on this server: ask its operator to set up your firm",
        nl: "Aanmelden is op deze server niet mogelijk: vraag de beheerder van de server om uw kantoor aan te maken",
      });
    const wait = await this.signUps.limit.attemptFrom(address);
    if (wait > 0)
      throw new UserError(UserErrorCode.TOO_MANY_ATTEMPTS, {
        en: `Too many sign-ups from here. Try again in ${wait} seconds.`,
        nl: `Te veel aanmeldingen vanaf dit adres. Probeer het over ${wait} seconden opnieuw.`,
      });
    await this.create(input, { signUpFrom: address });
  }

  /** A firm admin changes what the firm shows its clients; audited with what changed. */
  async updateSettings(viewer: Viewer, input: FirmSettingsInput): Promise<Firm> {
    const actor = requireActor(viewer);
    assertMayChangeFirmSettings(actor);
    const changes: Partial<Firm> = settingsChanges(input);
    if (typeof input.requireTwoFactorForStaff === "boolean") changes.requireTwoFactorStaff = input.requireTwoFactorForStaff;
    if (typeof input.requireTwoFactorForClients === "boolean") changes.requireTwoFactorClients = input.requireTwoFactorForClients;
    return inTransaction(this.dataSource, async (manager) => {
      const before = await manager.getRepository(Firm).findOneByOrFail({ id: actor.firmId });
      const changed: Partial<Firm> = Object.fromEntries(Object.entries(changes).filter(([key, value]) => before[key as keyof Firm] !== value));
      const newlyRequired = [changed.requireTwoFactorStaff && "staff", changed.requireTwoFactorClients && "clients"].filter((who): who is "staff" | "clients" => Boolean(who));
      // An admin cannot require what they have not got: they would be signed out at once.
      const self = userIdOf(actor);
      if (newlyRequired.includes("staff") && self && !(await this.twoFactor.hasSecondFactor(manager, self))) {
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          { en: "Turn on two-step sign-in for yourself first (Account page)", nl: "Zet eerst voor uzelf inloggen in twee stappen aan (pagina Account)" },
          ["requireTwoFactorForStaff"],
        );
      }
      if (Object.keys(changed).length) {
        await manager.getRepository(Firm).update({ id: before.id }, changed);
        const signedOut = newlyRequired.length ? await this.signOutWithoutSecondFactor(manager, before.id, newlyRequired) : 0;
        await this.audit.record(manager, actor, {
          firmId: before.id,
          administrationId: null,
          action: "firm.settings_updated",
          subjectType: "Firm",
          subjectId: before.id,
          details: { ...changed, ...(newlyRequired.length ? { signedOutWithoutSecondFactor: signedOut } : {}) },
        });
      }
      return manager.getRepository(Firm).findOneByOrFail({ id: before.id });
    });
  }

  /** Ends the sessions of the firm's people (of the roles now required to) who have no second factor. */
  private async signOutWithoutSecondFactor(manager: EntityManager, firmId: string, who: Array<"staff" | "clients">): Promise<number> {
    const users = (await manager.query(
      `SELECT u.id FROM users u
        WHERE u.firm_id = $1 AND ((u.role = 'CLIENT') = ANY($2::boolean[]))
          AND NOT EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)`,
      [firmId, who.map((w) => w === "clients")],
    )) as Array<{ id: string }>;
    return users.length
      ? revokeSessions(
          manager,
          this.bus,
          users.map((u) => u.id),
        )
      : 0;
  }

  /** Every firm with the size of its staff, clients and administrations, oldest first (for the operator). */
  async list(): Promise<FirmSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT f.id,
              (SELECT count(*)::int FROM users u WHERE u.firm_id = f.id AND u.role = 'FIRM_ADMIN' AND u.status <> 'DISABLED') AS admins,
              (SELECT count(*)::int FROM users u WHERE u.firm_id = f.id AND u.role <> 'CLIENT' AND u.status <> 'DISABLED') AS staff,
              (SELECT count(*)::int FROM users u WHERE u.firm_id = f.id AND u.role = 'CLIENT' AND u.status <> 'DISABLED') AS clients,
              (SELECT count(*)::int FROM administrations a WHERE a.firm_id = f.id) AS administrations
         FROM firms f ORDER BY f.created_at, f.id`,
    )) as Array<{ id: string; admins: number; staff: number; clients: number; administrations: number }>;
    const firms = await this.dataSource.getRepository(Firm).find();
    return rows.map(({ id, ...counts }) => ({ firm: firms.find((f) => f.id === id)!, ...counts }));
  }
}
