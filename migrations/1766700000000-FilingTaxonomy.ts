import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The omzetbelastingnummer of an administration (what VAT returns are filed under; for sole traders it
 * differs from the btw-id), and per submitted filing the taxonomy release and message kind it went with.
 */
export class FilingTaxonomy1766700000000 implements MigrationInterface {
  name = "FilingTaxonomy1766700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE administrations ADD COLUMN omzetbelastingnummer varchar(12)`);
    await q.query(`ALTER TABLE filings ADD COLUMN taxonomy_release varchar(40), ADD COLUMN message_kind varchar(20)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE filings DROP COLUMN taxonomy_release, DROP COLUMN message_kind`);
    await q.query(`ALTER TABLE administrations DROP COLUMN omzetbelastingnummer`);
  }
}
