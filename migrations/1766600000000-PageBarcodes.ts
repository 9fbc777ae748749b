import type { MigrationInterface, QueryRunner } from "typeorm";

/** The barcodes found on a scanned page with little text (separator sheets), for split suggestions. */
export class PageBarcodes1766600000000 implements MigrationInterface {
  name = "PageBarcodes1766600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_pages ADD COLUMN barcodes text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_pages DROP COLUMN barcodes`);
  }
}
