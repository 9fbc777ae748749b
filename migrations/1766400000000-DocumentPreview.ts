import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A PDF that shows a document whose file has no pages of its own (an e-invoice's embedded rendition,
 * or one drawn from its data): its preview, thumbnail and page images come from it.
 */
export class DocumentPreview1766400000000 implements MigrationInterface {
  name = "DocumentPreview1766400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE documents ADD COLUMN preview_sha256 char(64), ADD COLUMN preview_page_count int;
      CREATE INDEX documents_preview_idx ON documents (preview_sha256) WHERE preview_sha256 IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents DROP COLUMN preview_sha256, DROP COLUMN preview_page_count`);
  }
}
