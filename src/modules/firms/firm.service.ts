// Firms: the tenants. The operator makes them (`npm run firm:create`), each with its first admin
// invited; a firm exists only for its own people and tokens.
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { type Actor, SYSTEM } from "../../core/actor.js";
import { NotFoundError, throwIfAny, type UserError } from "../../core/errors.js";
import { requiredText } from "../../core/validation.js";
import { inTransaction } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import type { AuthService } from "../auth/auth.service.js";
import type { Language, User } from "../users/user.entity.js";
import { Firm } from "./firm.entity.js";

export interface NewFirm {
  name: string;
  adminEmail: string;
  adminName: string;
  adminLanguage?: Language | null;
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
  ) {}

  /** A firm exists only for its own people and tokens. */
  async findVisible(actor: Actor, id: string): Promise<Firm> {
    if (actor.type !== "SYSTEM" && actor.firmId !== id) throw new NotFoundError("Firm");
    const firm = await this.dataSource.getRepository(Firm).findOneBy({ id });
    if (!firm) throw new NotFoundError("Firm");
    return firm;
  }

  /** Makes a firm and invites its first admin (the invitation is mailed; its token is returned once, for the operator). */
  async create(input: NewFirm): Promise<{ firm: Firm; admin: User; invitationToken: string; expiresAt: Date }> {
    throwIfAny([requiredText(input.name, ["name"], "Name", 200)].filter((e): e is UserError => e !== null));
    return inTransaction(this.dataSource, async (manager) => {
      const firm = manager.getRepository(Firm).create({ id: randomUUID(), name: input.name.trim() });
      await manager.getRepository(Firm).insert(firm);
      await this.audit.record(manager, SYSTEM, {
        firmId: firm.id,
        administrationId: null,
        action: "firm.created",
        subjectType: "Firm",
        subjectId: firm.id,
        details: { name: firm.name },
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
