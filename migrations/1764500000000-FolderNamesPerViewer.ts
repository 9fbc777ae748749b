import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Folder names are unique among the siblings the person naming them can see, not among all: a
 * unique index over every sibling would let a client confirm a hidden folder's name by a clash.
 * The service checks names under the administration's tree lock; this index serves that check.
 */
export class FolderNamesPerViewer1764500000000 implements MigrationInterface {
  name = "FolderNamesPerViewer1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX archive_folders_sibling_name_key;
      CREATE INDEX archive_folders_sibling_name_idx ON archive_folders (parent_id, lower(name));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX archive_folders_sibling_name_idx;
      CREATE UNIQUE INDEX archive_folders_sibling_name_key ON archive_folders (parent_id, lower(name)) WHERE parent_id IS NOT NULL;
    `);
  }
}
