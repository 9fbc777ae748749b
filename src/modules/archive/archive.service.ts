// The archive's folder tree: create, rename, move, delete, and who may see what.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireActor, SYSTEM, type Viewer } from "../../core/actor.js";
import { ForbiddenError, UserError, UserErrorCode } from "../../core/errors.js";
import { requiredText } from "../../core/validation.js";
import { inTransaction } from "../../db/transaction.js";
import { groupByKey } from "../../graphql/loaders.js";
import type { EventBus, FolderChange } from "../../events/bus.js";
import { Membership } from "../administrations/membership.entity.js";
import type { AuditService } from "../audit/audit.service.js";
import { Document } from "../documents/document.entity.js";
import { User } from "../users/user.entity.js";
import { ArchiveFolder } from "./archive-folder.entity.js";
import { FolderAccess } from "./archive-grant.entity.js";
import { ANY_CLIENT, clientAccessByFolder, findFolderWithAccess, mayMarkRealEstate, scopeVisibleFolders, seesWholeArchive } from "./archive.policy.js";

export interface EffectiveAccess {
  user: User;
  access: FolderAccess;
  /** Whether a grant on this very folder decides it (rather than one inherited from above). */
  explicit: boolean;
}

/** Sets the grant of one client user (or, `userId` null, of all clients) on a folder. */
async function upsertGrant(manager: EntityManager, folderId: string, userId: string | null, access: FolderAccess, byLabel: string): Promise<void> {
  await manager.query(
    `INSERT INTO archive_folder_grants (folder_id, user_id, access, updated_at, updated_by_label) VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (folder_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'))
     DO UPDATE SET access = EXCLUDED.access, updated_at = now(), updated_by_label = EXCLUDED.updated_by_label`,
    [folderId, userId, access, byLabel.slice(0, 320)],
  );
}

export class ArchiveService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
  ) {}

  private async record(
    manager: EntityManager,
    actor: Actor,
    folder: ArchiveFolder,
    action: string,
    change: FolderChange,
    details: Record<string, unknown> = {},
    visibleTo?: string[],
  ) {
    await this.audit.record(manager, actor, {
      firmId: folder.firmId,
      administrationId: folder.administrationId,
      action,
      subjectType: "ArchiveFolder",
      subjectId: folder.id,
      details: { name: folder.name, ...details },
    });
    await this.bus.publish(manager, {
      topic: "folder.changed",
      administrationId: folder.administrationId,
      folderId: folder.id,
      parentId: folder.parentId,
      change,
      // NOTIFY payloads are small: beyond 100 client users, only staff hear of a deletion.
      ...(visibleTo ? { visibleTo: visibleTo.slice(0, 100).length === visibleTo.length ? visibleTo : [] } : {}),
    });
  }

  /** The root folders of `administrationIds` (every administration has one, made with it by the database). */
  roots(administrationIds: readonly string[]): Promise<ArchiveFolder[]> {
    return this.dataSource
      .getRepository(ArchiveFolder)
      .createQueryBuilder("f")
      .where("f.parent_id IS NULL AND f.administration_id IN (:...administrationIds)", { administrationIds: [...administrationIds] })
      .getMany();
  }

  get(viewer: Viewer, id: string) {
    return findFolderWithAccess(this.dataSource.manager, requireActor(viewer), id);
  }

  /** Child folders the actor can see, by name. */
  children(actor: Actor, parentIds: readonly string[]): Promise<ArchiveFolder[]> {
    return this.visibleChildren(this.dataSource.manager, actor, parentIds).orderBy("lower(f.name)", "ASC").getMany();
  }

  private visibleChildren(manager: EntityManager, actor: Actor, parentIds: readonly string[]) {
    const qb = manager
      .getRepository(ArchiveFolder)
      .createQueryBuilder("f")
      .where("f.parent_id IN (:...parentIds)", { parentIds: [...parentIds] });
    return scopeVisibleFolders(qb, "f", actor);
  }

  /** Serialises changes to an administration's tree: no cycles from two moves, no name taken twice. */
  private async lockTree(manager: EntityManager, administrationId: string): Promise<void> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 13))", [administrationId]);
  }

  /**
   * Refuses names already used (ignoring case) by a sibling under `parentId` that the actor can see.
   * Only visible siblings count: a clash with a hidden folder would confirm its name to a client.
   * Call with the tree locked.
   */
  private async assertNamesFree(manager: EntityManager, actor: Actor, parentId: string, names: string[], except: string[], field: string[]): Promise<void> {
    if (names.length === 0) return;
    const qb = this.visibleChildren(manager, actor, [parentId]).andWhere("lower(f.name) IN (:...names)", { names: names.map((n) => n.toLowerCase()) });
    if (except.length) qb.andWhere("f.id NOT IN (:...except)", { except });
    const clash = await qb.getOne();
    if (clash)
      throw new UserError(
        UserErrorCode.ALREADY_EXISTS,
        { en: `There is already a folder named "${clash.name}" here`, nl: `Hier staat al een map met de naam "${clash.name}"` },
        field,
      );
  }

  /** Names of the folders from the root down to each of `folderIds` (visible all the way, by the policy's rule), in one statement. */
  async paths(folderIds: readonly string[]): Promise<string[][]> {
    const rows = (await this.dataSource.query(
      `WITH RECURSIVE up(start, parent_id, name, depth) AS (
         SELECT id, parent_id, name, 0 FROM archive_folders WHERE id = ANY($1)
         UNION ALL SELECT up.start, f.parent_id, f.name, up.depth + 1 FROM archive_folders f JOIN up ON f.id = up.parent_id)
       SELECT start, name FROM up ORDER BY start, depth DESC`,
      [folderIds],
    )) as Array<{ start: string; name: string }>;
    return groupByKey(folderIds, rows, (r) => r.start).map((names) => names.map((r) => r.name));
  }

  private nameProblem(name: string): UserError | null {
    const problem = requiredText(name, ["name"], { en: "Name", nl: "De naam" }, 200);
    if (problem) return problem;
    if (/[\\/]/.test(name)) return new UserError(UserErrorCode.INVALID, { en: "A folder name cannot contain / or \\", nl: "Een mapnaam mag geen / of \\ bevatten" }, ["name"]);
    return null;
  }

  async create(viewer: Viewer, input: { parentId: string; name: string; realEstate?: boolean | null }): Promise<ArchiveFolder> {
    const actor = requireActor(viewer);
    const problem = this.nameProblem(input.name);
    if (problem) throw problem;
    const name = input.name.trim();
    return inTransaction(this.dataSource, async (manager) => {
      const { folder: parent } = await findFolderWithAccess(manager, actor, input.parentId, FolderAccess.CONTRIBUTE);
      if (input.realEstate && !mayMarkRealEstate(actor)) throw new ForbiddenError("Only the firm marks folders as real estate");
      await this.lockTree(manager, parent.administrationId);
      await this.assertNamesFree(manager, actor, parent.id, [name], [], ["name"]);
      const folder = manager.getRepository(ArchiveFolder).create({
        id: randomUUID(),
        firmId: parent.firmId,
        administrationId: parent.administrationId,
        parentId: parent.id,
        name,
        realEstate: input.realEstate ?? false,
      });
      await manager.getRepository(ArchiveFolder).insert(folder);
      await this.record(manager, actor, folder, "archive.folder_created", "FOLDER_CREATED", { parentId: parent.id, realEstate: folder.realEstate });
      return manager.getRepository(ArchiveFolder).findOneByOrFail({ id: folder.id });
    });
  }

  async rename(viewer: Viewer, input: { folderId: string; name: string }): Promise<ArchiveFolder> {
    const actor = requireActor(viewer);
    const problem = this.nameProblem(input.name);
    if (problem) throw problem;
    const name = input.name.trim();
    return inTransaction(this.dataSource, async (manager) => {
      const { folder } = await findFolderWithAccess(manager, actor, input.folderId, FolderAccess.MANAGE);
      if (folder.name !== name) {
        await this.lockTree(manager, folder.administrationId);
        if (folder.parentId) await this.assertNamesFree(manager, actor, folder.parentId, [name], [folder.id], ["name"]);
        await manager.getRepository(ArchiveFolder).update({ id: folder.id }, { name });
        await this.record(manager, actor, folder, "archive.folder_renamed", "FOLDER_UPDATED", { to: name });
      }
      return manager.getRepository(ArchiveFolder).findOneByOrFail({ id: folder.id });
    });
  }

  /** Moves a folder (with everything in it) under another folder of the same administration; never into itself. */
  async move(viewer: Viewer, input: { folderId: string; parentId: string }): Promise<ArchiveFolder> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const { folder } = await findFolderWithAccess(manager, actor, input.folderId, FolderAccess.MANAGE);
      await this.lockTree(manager, folder.administrationId);
      if (!folder.parentId)
        throw new UserError(UserErrorCode.INVALID, { en: "The archive's root folder cannot be moved", nl: "De hoofdmap van het archief kan niet worden verplaatst" }, ["folderId"]);
      const { folder: target } = await findFolderWithAccess(manager, actor, input.parentId, FolderAccess.CONTRIBUTE);
      if (target.administrationId !== folder.administrationId)
        throw new UserError(UserErrorCode.INVALID, { en: "That folder belongs to another administration", nl: "Die map hoort bij een andere administratie" }, ["parentId"]);
      const [{ inside }] = (await manager.query(
        `WITH RECURSIVE down(id) AS (SELECT $1::uuid UNION ALL SELECT f.id FROM archive_folders f JOIN down ON f.parent_id = down.id)
         SELECT EXISTS (SELECT 1 FROM down WHERE id = $2) AS inside`,
        [folder.id, target.id],
      )) as [{ inside: boolean }];
      if (inside)
        throw new UserError(
          UserErrorCode.INVALID,
          {
            en: `"${folder.name}" cannot be moved into itself or one of its subfolders`,
            nl: `"${folder.name}" kan niet naar zichzelf of naar een van de eigen submappen worden verplaatst`,
          },
          ["parentId"],
        );
      if (folder.parentId !== target.id) {
        await this.assertNamesFree(manager, actor, target.id, [folder.name], [folder.id], ["parentId"]);
        await manager.getRepository(ArchiveFolder).update({ id: folder.id }, { parentId: target.id });
        await this.record(manager, actor, folder, "archive.folder_moved", "FOLDER_UPDATED", { from: folder.parentId, to: target.id });
      }
      return manager.getRepository(ArchiveFolder).findOneByOrFail({ id: folder.id });
    });
  }

  /** Deletes an empty folder; with `moveContentsUp`, its documents and subfolders first go to its parent. Nothing is lost. */
  async delete(viewer: Viewer, input: { folderId: string; moveContentsUp?: boolean | null }): Promise<ArchiveFolder> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const { folder } = await findFolderWithAccess(manager, actor, input.folderId, FolderAccess.MANAGE);
      await this.lockTree(manager, folder.administrationId);
      if (!folder.parentId)
        throw new UserError(UserErrorCode.INVALID, { en: "The archive's root folder cannot be deleted", nl: "De hoofdmap van het archief kan niet worden verwijderd" }, [
          "folderId",
        ]);
      const movedFolders = await manager.getRepository(ArchiveFolder).findBy({ parentId: folder.id });
      // Subfolders the actor cannot see do not exist for them: not in the counts below, not in the
      // messages. They move up with the rest, keeping exactly who may use them.
      const shown = new Set((await this.children(actor, [folder.id])).map((f) => f.id));
      const hidden = movedFolders.filter((f) => !shown.has(f.id));
      const subfolders = movedFolders.length - hidden.length;
      const documents = await manager
        .getRepository(Document)
        .createQueryBuilder("d")
        .where("d.folder_id = :id AND d.removed_at IS NULL AND d.replaced_at IS NULL", { id: folder.id })
        .getCount();
      // Moving contents up changes who sees them: a client needs CONTRIBUTE where they go.
      if (input.moveContentsUp && !seesWholeArchive(actor)) await findFolderWithAccess(manager, actor, folder.parentId, FolderAccess.CONTRIBUTE);
      if ((subfolders > 0 || documents > 0) && !input.moveContentsUp) {
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: `"${folder.name}" holds ${documents} document(s) and ${subfolders} folder(s); empty it first or delete with moveContentsUp`,
            nl: `"${folder.name}" bevat ${documents} document(en) en ${subfolders} map(pen); maak de map eerst leeg of verwijder hem met moveContentsUp`,
          },
          ["folderId"],
        );
      }
      const movedDocuments = await manager.getRepository(Document).findBy({ folderId: folder.id });
      const accessBefore = hidden.length
        ? await clientAccessByFolder(
            manager,
            hidden.map((f) => f.id),
          )
        : null;
      if (movedFolders.length > 0) {
        await this.assertNamesFree(
          manager,
          actor,
          folder.parentId,
          movedFolders.filter((f) => shown.has(f.id)).map((f) => f.name),
          [folder.id],
          ["moveContentsUp"],
        );
        await manager.getRepository(ArchiveFolder).update({ parentId: folder.id }, { parentId: folder.parentId });
      }
      if (accessBefore) await this.keepAccess(manager, accessBefore, `kept as it was when "${folder.name}" was deleted`);
      // Removed and replaced documents keep their history: they move up too.
      await manager.getRepository(Document).update({ folderId: folder.id }, { folderId: folder.parentId! });
      // Views following the administration see the contents arrive in the parent.
      for (const moved of movedFolders) {
        await this.bus.publish(manager, {
          topic: "folder.changed",
          administrationId: moved.administrationId,
          folderId: moved.id,
          parentId: folder.parentId,
          change: "FOLDER_UPDATED",
        });
      }
      for (const moved of movedDocuments.filter((d) => !d.removedAt)) {
        await this.bus.publish(manager, { topic: "document.changed", administrationId: moved.administrationId, documentId: moved.id, change: "UPDATED" });
      }
      // Who could see it, decided before it goes: only they (and staff) hear of the deletion.
      const [everyone] = await this.effectiveAccess(SYSTEM, [folder], manager);
      const couldSee = everyone!.filter((e) => e.access !== FolderAccess.NONE).map((e) => e.user.id);
      await this.record(
        manager,
        actor,
        folder,
        "archive.folder_deleted",
        "FOLDER_REMOVED",
        { movedUp: { documents, subfolders: movedFolders.length }, to: folder.parentId },
        couldSee,
      );
      await manager.getRepository(ArchiveFolder).delete({ id: folder.id });
      return folder;
    });
  }

  /**
   * After a move, gives back the access there was before where it now differs: first that of any
   * client without a grant of their own (an all-clients grant, so clients added later fit too), then
   * each client user's (a grant of their own).
   */
  private async keepAccess(manager: EntityManager, before: Map<string, Map<string, FolderAccess>>, label: string): Promise<void> {
    const folderIds = [...before.keys()];
    const general = await clientAccessByFolder(manager, folderIds);
    for (const [folderId, access] of before) {
      const was = access.get(ANY_CLIENT)!;
      if (general.get(folderId)?.get(ANY_CLIENT) !== was) await upsertGrant(manager, folderId, null, was, label);
    }
    const after = await clientAccessByFolder(manager, folderIds);
    for (const [folderId, users] of before) {
      for (const [userId, access] of users) {
        if (userId === ANY_CLIENT || after.get(folderId)?.get(userId) === access) continue;
        await upsertGrant(manager, folderId, userId, access, label);
      }
    }
  }

  /** Sets (or with `access` null, removes) the grant of one client user, or of all clients, on a folder. Staff only. */
  async setAccess(viewer: Viewer, input: { folderId: string; userId: string | null; access: FolderAccess | null }): Promise<ArchiveFolder> {
    const actor = requireActor(viewer);
    if (!seesWholeArchive(actor)) throw new ForbiddenError("Only the firm decides who may use archive folders");
    return inTransaction(this.dataSource, async (manager) => {
      const { folder } = await findFolderWithAccess(manager, actor, input.folderId, FolderAccess.MANAGE);
      if (input.userId) {
        const member = await manager.getRepository(Membership).findOneBy({ userId: input.userId, administrationId: folder.administrationId });
        if (!member)
          throw new UserError(
            UserErrorCode.NOT_FOUND,
            { en: "That person is not a client user of this administration", nl: "Die persoon is geen klantgebruiker van deze administratie" },
            ["userId"],
          );
      }
      const userKey = input.userId ?? "00000000-0000-0000-0000-000000000000";
      const existing = (await manager.query("SELECT access FROM archive_folder_grants WHERE folder_id = $1 AND coalesce(user_id, '00000000-0000-0000-0000-000000000000') = $2", [
        folder.id,
        userKey,
      ])) as Array<{ access: FolderAccess }>;
      const before = existing[0]?.access ?? null;
      if (before === input.access) return folder;
      if (input.access === null) {
        await manager.query("DELETE FROM archive_folder_grants WHERE folder_id = $1 AND coalesce(user_id, '00000000-0000-0000-0000-000000000000') = $2", [folder.id, userKey]);
      } else {
        await upsertGrant(manager, folder.id, input.userId, input.access, actor.label);
      }
      await this.record(manager, actor, folder, "archive.access_changed", "ACCESS_CHANGED", {
        userId: input.userId,
        allClients: input.userId === null,
        from: before,
        to: input.access,
      });
      return folder;
    });
  }

  /**
   * Each client user's effective access to each of `folders` (staff only), by the same SQL rule that
   * decides what they see: so NONE while the portal is off, as the clients' own view has it. Three
   * statements for any number of folders.
   */
  async effectiveAccess(actor: Actor, folders: readonly ArchiveFolder[], manager: EntityManager = this.dataSource.manager): Promise<EffectiveAccess[][]> {
    if (!seesWholeArchive(actor)) throw new ForbiddenError("Only the firm sees who may use a folder");
    const folderIds = folders.map((f) => f.id);
    const access = await clientAccessByFolder(manager, folderIds, { ignorePortal: false });
    const grants = (await manager.query("SELECT folder_id, user_id, access FROM archive_folder_grants WHERE folder_id = ANY($1)", [folderIds])) as Array<{
      folder_id: string;
      user_id: string | null;
      access: FolderAccess;
    }>;
    const memberIds = [...new Set([...access.values()].flatMap((users) => [...users.keys()].filter((key) => key !== ANY_CLIENT)))];
    const members = memberIds.length
      ? await manager.getRepository(User).createQueryBuilder("u").where("u.id IN (:...memberIds)", { memberIds }).orderBy("lower(u.name)", "ASC").getMany()
      : [];
    return folders.map((folder) => {
      const users = access.get(folder.id)!;
      const own = grants.filter((g) => g.folder_id === folder.id);
      return members
        .filter((user) => users.has(user.id))
        .map((user) => {
          const effective = users.get(user.id)!;
          // Decided here when a grant on this folder (theirs, else the all-clients one) gives exactly that.
          const grant = own.find((g) => g.user_id === user.id) ?? own.find((g) => g.user_id === null);
          return { user, access: effective, explicit: grant !== undefined && grant.access === effective };
        });
    });
  }
}
