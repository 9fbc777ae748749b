// People of a firm: staff and client users.
import type { DataSource } from "typeorm";
import { type Actor, requireActor, requireUser, type Viewer } from "../../core/actor.js";
import { NotFoundError, throwIfAny, type UserError } from "../../core/errors.js";
import { requiredText } from "../../core/validation.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import { type Language, User } from "./user.entity.js";
import { type UserRole } from "../../core/roles.js";
import { assertMayListPeople, canSeeUser, scopeVisibleUsers } from "./user.policy.js";

export class UserService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly maxPageSize: number,
  ) {}

  async me(viewer: Viewer): Promise<User> {
    const actor = requireUser(viewer);
    return this.dataSource.getRepository(User).findOneByOrFail({ id: actor.userId });
  }

  async findVisible(actor: Actor, id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user || !canSeeUser(actor, user)) throw new NotFoundError("User");
    return user;
  }

  /** The firm's people (staff only), by name. */
  list(viewer: Viewer, filter: { role?: UserRole | null }, page: PageArgs) {
    const actor = requireActor(viewer);
    assertMayListPeople(actor);
    const qb = scopeVisibleUsers(this.dataSource.getRepository(User).createQueryBuilder("u"), "u", actor);
    if (filter.role) qb.andWhere("u.role = :role", { role: filter.role });
    return paginate(qb, page, { expr: "lower(u.name)", type: "text", direction: "ASC", idExpr: "u.id" }, this.maxPageSize);
  }

  /** The signed-in user changes their own name or language. */
  async updateProfile(viewer: Viewer, input: { name?: string | null; language?: Language | null }): Promise<User> {
    const actor = requireUser(viewer);
    throwIfAny([input.name != null ? requiredText(input.name, ["name"], { en: "Name", nl: "De naam" }, 200) : null].filter((e): e is UserError => e !== null));
    return inTransaction(this.dataSource, async (manager) => {
      const changes: Partial<User> = {};
      if (input.name != null) changes.name = input.name.trim();
      if (input.language != null) changes.language = input.language;
      if (Object.keys(changes).length > 0) {
        await manager.getRepository(User).update({ id: actor.userId }, changes);
        await this.audit.record(manager, actor, {
          firmId: actor.firmId,
          administrationId: null,
          action: "user.profile_updated",
          subjectType: "User",
          subjectId: actor.userId,
          details: changes,
        });
      }
      return manager.getRepository(User).findOneByOrFail({ id: actor.userId });
    });
  }
}
