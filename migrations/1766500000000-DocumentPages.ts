import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The words on each page of a document (text layer or OCR) with their boxes, and the progress of
 * reading them. Documents uploaded before this version are read when the server next starts.
 * Invoices read from those words keep each field's confidence and place; corrections teach a
 * supplier's profile (its labels, usual VAT rate and tray), per administration.
 */
export class DocumentPages1766500000000 implements MigrationInterface {
  name = "DocumentPages1766500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE documents ADD COLUMN pages_state varchar(10), ADD COLUMN pages_done int NOT NULL DEFAULT 0,
        ADD COLUMN pages_total int, ADD COLUMN pages_problem text;
      CREATE INDEX documents_pages_unread_idx ON documents (uploaded_at) WHERE pages_state IS NULL AND removed_at IS NULL;
      CREATE TABLE document_pages (
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page_number int NOT NULL,
        source varchar(5) NOT NULL,
        rotation int NOT NULL DEFAULT 0,
        text text NOT NULL,
        words jsonb NOT NULL,
        confidence real,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_id, page_number)
      );
      ALTER TABLE invoices ADD COLUMN fields jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE administrations ADD COLUMN clients_correct_invoices boolean NOT NULL DEFAULT false;
      CREATE TABLE supplier_profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        supplier_key varchar(200) NOT NULL,
        name varchar(200),
        labels jsonb NOT NULL DEFAULT '{}',
        vat_rate varchar(10),
        tray varchar(20),
        corrections int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (administration_id, supplier_key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE supplier_profiles;
      ALTER TABLE invoices DROP COLUMN fields;
      ALTER TABLE administrations DROP COLUMN clients_correct_invoices;
      DROP TABLE document_pages;
      ALTER TABLE documents DROP COLUMN pages_state, DROP COLUMN pages_done, DROP COLUMN pages_total, DROP COLUMN pages_problem;
    `);
  }
}
