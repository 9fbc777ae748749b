import type { MigrationInterface, QueryRunner } from "typeorm";

/** Monthly financial figures per administration, and whether its clients may see them. */
export class Figures1764800000000 implements MigrationInterface {
  name = "Figures1764800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE administrations ADD COLUMN figures_visible boolean NOT NULL DEFAULT false;
      CREATE TABLE financial_figures (
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        -- The first day of the month.
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        revenue numeric(15, 2) NOT NULL,
        costs numeric(15, 2) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_label varchar(320) NOT NULL,
        PRIMARY KEY (administration_id, month)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE financial_figures; ALTER TABLE administrations DROP COLUMN figures_visible;");
  }
}
