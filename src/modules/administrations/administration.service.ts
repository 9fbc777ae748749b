// Administrations (the firm's clients' businesses) and who of the client may use their portal.
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { type Actor, requireActor, type Viewer } from "../../core/actor.js";
import { NotFoundError, throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import { calendarDateProblem, chamberOfCommerceProblem, normaliseVatNumber, omzetbelastingnummerProblem, requiredText, vatNumberProblem } from "../../core/validation.js";
import { compactTaxNumber } from "../../core/tax-numbers.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction, isUniqueViolation } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import { User } from "../users/user.entity.js";
import { UserRole } from "../../core/roles.js";
import { Administration, type DataFiling, type DuplicatePolicy, type FilingFrequency, type StrangerMail } from "./administration.entity.js";
import { assertCanManageAdministrations, assertStaffOf, findVisibleAdministration, scopeVisibleAdministrations, visibleMemberships } from "./administration.policy.js";
import { Membership } from "./membership.entity.js";

export interface AdministrationFields {
  name?: string | null;
  vatNumber?: string | null;
  omzetbelastingnummer?: string | null;
  chamberOfCommerceNumber?: string | null;
  portalEnabled?: boolean | null;
  duplicatePolicy?: DuplicatePolicy | null;
  dataFiling?: DataFiling | null;
  clientsCorrectInvoices?: boolean | null;
  mailFromStrangers?: StrangerMail | null;
  mailBodyAsPdf?: boolean | null;
  vatFilingFrequency?: FilingFrequency | null;
  icpFilingFrequency?: FilingFrequency | null;
  filingsFrom?: string | null;
}

export interface AdministrationFilter {
  search?: string | null;
}

function fieldProblems(input: AdministrationFields, creating: boolean): UserError[] {
  return [
    creating || input.name !== undefined ? requiredText(input.name, ["name"], { en: "Name", nl: "De naam" }, 200) : null,
    input.vatNumber ? vatNumberProblem(input.vatNumber, ["vatNumber"]) : null,
    input.omzetbelastingnummer ? omzetbelastingnummerProblem(input.omzetbelastingnummer, ["omzetbelastingnummer"]) : null,
    input.chamberOfCommerceNumber ? chamberOfCommerceProblem(input.chamberOfCommerceNumber, ["chamberOfCommerceNumber"]) : null,
    input.filingsFrom != null ? calendarDateProblem(input.filingsFrom, ["filingsFrom"]) : null,
  ].filter((e): e is UserError => e !== null);
}

/** Only the fields given, normalised; for create and update alike. */
function normalisedFields(input: AdministrationFields): Partial<Administration> {
  const fields: Partial<Administration> = {};
  if (input.name != null) fields.name = input.name.trim();
  if (input.vatNumber !== undefined) fields.vatNumber = input.vatNumber ? normaliseVatNumber(input.vatNumber) : null;
  if (input.omzetbelastingnummer !== undefined) fields.omzetbelastingnummer = input.omzetbelastingnummer ? compactTaxNumber(input.omzetbelastingnummer) : null;
  if (input.chamberOfCommerceNumber !== undefined) fields.chamberOfCommerceNumber = input.chamberOfCommerceNumber?.trim() || null;
  if (input.portalEnabled != null) fields.portalEnabled = input.portalEnabled;
  if (input.duplicatePolicy != null) fields.duplicatePolicy = input.duplicatePolicy;
  if (input.dataFiling != null) fields.dataFiling = input.dataFiling;
  if (input.clientsCorrectInvoices != null) fields.clientsCorrectInvoices = input.clientsCorrectInvoices;
  if (input.mailFromStrangers != null) fields.mailFromStrangers = input.mailFromStrangers;
  if (input.mailBodyAsPdf != null) fields.mailBodyAsPdf = input.mailBodyAsPdf;
  if (input.vatFilingFrequency != null) fields.vatFilingFrequency = input.vatFilingFrequency;
  if (input.icpFilingFrequency != null) fields.icpFilingFrequency = input.icpFilingFrequency;
  if (input.filingsFrom != null) fields.filingsFrom = input.filingsFrom;
  return fields;
}

export class AdministrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly maxPageSize: number,
  ) {}

  list(viewer: Viewer, filter: AdministrationFilter, page: PageArgs) {
    const actor = requireActor(viewer);
    const qb = scopeVisibleAdministrations(this.dataSource.getRepository(Administration).createQueryBuilder("a"), "a", actor);
    const search = filter.search?.trim();
    if (search) {
      qb.andWhere("(a.name ILIKE :search OR a.vat_number ILIKE :search OR a.chamber_of_commerce_number ILIKE :search)", {
        search: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    return paginate(qb, page, { expr: "lower(a.name)", type: "text", direction: "ASC", idExpr: "a.id" }, this.maxPageSize);
  }

  get(viewer: Viewer, id: string): Promise<Administration> {
    return findVisibleAdministration(this.dataSource.manager, requireActor(viewer), id);
  }

  async create(viewer: Viewer, input: AdministrationFields): Promise<Administration> {
    const actor = requireActor(viewer);
    assertCanManageAdministrations(actor);
    throwIfAny(fieldProblems(input, true));
    if (actor.type === "SYSTEM") throw new Error("the system does not create administrations");
    return inTransaction(this.dataSource, async (manager) => {
      const id = randomUUID();
      const fields = normalisedFields(input);
      await manager.getRepository(Administration).insert({ portalEnabled: true, ...fields, id, firmId: actor.firmId });
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: id,
        action: "administration.created",
        subjectType: "Administration",
        subjectId: id,
        details: { ...fields },
      });
      return manager.getRepository(Administration).findOneByOrFail({ id });
    });
  }

  async update(viewer: Viewer, id: string, input: AdministrationFields): Promise<Administration> {
    const actor = requireActor(viewer);
    assertCanManageAdministrations(actor);
    throwIfAny(fieldProblems(input, false));
    return inTransaction(this.dataSource, async (manager) => {
      const existing = await findVisibleAdministration(manager, actor, id);
      const fields = normalisedFields(input);
      const changed = Object.fromEntries(Object.entries(fields).filter(([key, value]) => existing[key as keyof Administration] !== value));
      if (Object.keys(changed).length > 0) {
        await manager.getRepository(Administration).update({ id }, changed);
        await this.audit.record(manager, actor, {
          firmId: existing.firmId,
          administrationId: id,
          action: "administration.updated",
          subjectType: "Administration",
          subjectId: id,
          details: { changed },
        });
      }
      return manager.getRepository(Administration).findOneByOrFail({ id });
    });
  }

  /** Gives an existing client user of the firm access to the administration's portal. */
  async addMember(viewer: Viewer, input: { administrationId: string; userId: string; canApproveFilings: boolean }): Promise<Membership> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const administration = await findVisibleAdministration(manager, actor, input.administrationId);
      assertStaffOf(actor, administration);
      const user = await manager.getRepository(User).findOneBy({ id: input.userId, firmId: administration.firmId });
      if (!user) throw new UserError(UserErrorCode.NOT_FOUND, { en: "That user does not exist", nl: "Die gebruiker bestaat niet" }, ["userId"]);
      if (user.role !== UserRole.CLIENT) {
        throw new UserError(
          UserErrorCode.INVALID,
          {
            en: "Staff see every administration already; only client users become members",
            nl: "Medewerkers zien alle administraties al; alleen klantgebruikers worden lid",
          },
          ["userId"],
        );
      }
      const id = randomUUID();
      try {
        await manager.getRepository(Membership).insert({ id, userId: user.id, administrationId: administration.id, canApproveFilings: input.canApproveFilings });
      } catch (error) {
        if (isUniqueViolation(error)) throw new UserError(UserErrorCode.ALREADY_EXISTS, { en: `${user.name} is a member already`, nl: `${user.name} is al lid` }, ["userId"]);
        throw error;
      }
      await this.audit.record(manager, actor, {
        firmId: administration.firmId,
        administrationId: administration.id,
        action: "membership.added",
        subjectType: "Membership",
        subjectId: id,
        details: { userId: user.id, email: user.email, canApproveFilings: input.canApproveFilings },
      });
      return manager.getRepository(Membership).findOneByOrFail({ id });
    });
  }

  async updateMember(viewer: Viewer, input: { membershipId: string; canApproveFilings: boolean }): Promise<Membership> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const membership = await this.findMembershipAsStaff(actor, input.membershipId, manager);
      if (membership.canApproveFilings !== input.canApproveFilings) {
        await manager.getRepository(Membership).update({ id: membership.id }, { canApproveFilings: input.canApproveFilings });
        await this.audit.record(manager, actor, {
          firmId: membership.firmId,
          administrationId: membership.administrationId,
          action: "membership.updated",
          subjectType: "Membership",
          subjectId: membership.id,
          details: { userId: membership.userId, canApproveFilings: input.canApproveFilings },
        });
      }
      return manager.getRepository(Membership).findOneByOrFail({ id: membership.id });
    });
  }

  async removeMember(viewer: Viewer, membershipId: string): Promise<Administration> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const membership = await this.findMembershipAsStaff(actor, membershipId, manager);
      await manager.getRepository(Membership).delete({ id: membership.id });
      await this.audit.record(manager, actor, {
        firmId: membership.firmId,
        administrationId: membership.administrationId,
        action: "membership.removed",
        subjectType: "Membership",
        subjectId: membership.id,
        details: { userId: membership.userId },
      });
      return manager.getRepository(Administration).findOneByOrFail({ id: membership.administrationId });
    });
  }

  /** The membership, for staff to change: NOT_FOUND unless the actor may see it (a client: only their own), then FORBIDDEN for non-staff. */
  private async findMembershipAsStaff(actor: Actor, id: string, manager = this.dataSource.manager) {
    const membership = await this.findVisibleMembership(actor, id, manager);
    const administration = await manager.getRepository(Administration).findOneByOrFail({ id: membership.administrationId });
    assertStaffOf(actor, administration);
    return Object.assign(membership, { firmId: administration.firmId });
  }

  /** A membership the actor may see: staff of the firm, or the member themselves. */
  async findVisibleMembership(actor: Actor, id: string, manager = this.dataSource.manager): Promise<Membership> {
    const membership = await manager.getRepository(Membership).findOneBy({ id });
    if (!membership) throw new NotFoundError("Membership");
    // Visible only with its administration; a client sees only their own membership.
    await findVisibleAdministration(manager, actor, membership.administrationId).catch(() => {
      throw new NotFoundError("Membership");
    });
    if (visibleMemberships(actor, [membership]).length === 0) throw new NotFoundError("Membership");
    return membership;
  }
}
