import type { MigrationInterface, QueryRunner } from "typeorm";

/** Per administration: whether a document whose data was read is only given a suggested tray, or filed by itself. */
export class DataFiling1766300000000 implements MigrationInterface {
  name = "DataFiling1766300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE administrations ADD COLUMN data_filing varchar(10) NOT NULL DEFAULT 'SUGGEST' CHECK (data_filing IN ('SUGGEST', 'AUTO_FILE'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE administrations DROP COLUMN data_filing`);
  }
}
