import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every administration has its archive root folder from the moment it exists (a trigger makes it),
 * instead of the first read making it: reads no longer write, and a page of administrations finds
 * all their roots in one statement.
 */
export class ArchiveRoots1765200000000 implements MigrationInterface {
  name = "ArchiveRoots1765200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION make_archive_root() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO archive_folders (firm_id, administration_id, parent_id, name)
          VALUES (NEW.firm_id, NEW.id, NULL, 'Archief')
          ON CONFLICT (administration_id) WHERE parent_id IS NULL DO NOTHING;
        RETURN NEW;
      END $$;
      CREATE TRIGGER administrations_archive_root AFTER INSERT ON administrations FOR EACH ROW EXECUTE FUNCTION make_archive_root();
      INSERT INTO archive_folders (firm_id, administration_id, parent_id, name)
        SELECT a.firm_id, a.id, NULL, 'Archief' FROM administrations a
         WHERE NOT EXISTS (SELECT 1 FROM archive_folders f WHERE f.administration_id = a.id AND f.parent_id IS NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER administrations_archive_root ON administrations;
      DROP FUNCTION make_archive_root();
    `);
  }
}
